package dev.cloudref.starter.discovery;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;

/**
 * Feeds each load-balanced request's outcome to the service's {@link InstanceRotation}
 * for passive outlier detection: I/O errors, timeouts and
 * {@link OutlierDetectionProperties#failureStatuses()} are failures.
 */
public class OutlierDetectionLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final InstanceRotation rotation;

	private final Set<Integer> failureStatuses;

	/**
	 * @param rotation the service's rotation
	 * @param failureStatuses response statuses that count as failures
	 */
	public OutlierDetectionLifecycle(InstanceRotation rotation, Set<Integer> failureStatuses) {
		this.rotation = rotation;
		this.failureStatuses = Set.copyOf(failureStatuses);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		Response<ServiceInstance> chosen = completion.getLoadBalancerResponse();
		if (chosen == null || !chosen.hasServer()) {
			return;
		}
		ServiceInstance instance = chosen.getServer();
		switch (completion.status()) {
			case FAILED -> {
				if (isInstanceFailure(completion.getThrowable())) {
					this.rotation.failed(instance);
				}
			}
			case SUCCESS -> {
				if (completion.getClientResponse() instanceof ResponseData response && response.getHttpStatus() != null
						&& this.failureStatuses.contains(response.getHttpStatus().value())) {
					this.rotation.failed(instance);
				}
				else {
					this.rotation.succeeded(instance);
				}
			}
			case DISCARD -> {
			}
		}
	}

	private static boolean isInstanceFailure(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof TimeoutException
					|| cause instanceof io.netty.handler.timeout.TimeoutException) {
				return true;
			}
		}
		return false;
	}

}
