package dev.cloudref.starter.data;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.util.ClassUtils;

/**
 * Runs every call into a blocking R2DBC driver (r2dbc-h2) on a bounded worker pool, not
 * the subscribing Netty event loop, so a slow query cannot stall the loop's other
 * requests. {@link #decorate} returns non-blocking drivers unchanged.
 */
public final class BlockingDriverOffload implements ConnectionFactoryDecorator {

	private static final Set<Class<?>> WRAPPED_TYPES = Set.of(ConnectionFactory.class, Connection.class,
			Statement.class, Batch.class, Result.class);

	/**
	 * The interfaces of a driver class that its wrapper implements: only the SPI's own
	 * (Lifecycle, Closeable, ...), since a driver's package-private or extra interfaces
	 * are not part of the contract, plus {@link Wrapped}. Worked out once per class, not
	 * for every statement and result.
	 */
	private static final ClassValue<Class<?>[]> PROXY_INTERFACES = new ClassValue<>() {
		@Override
		protected Class<?>[] computeValue(Class<?> driverClass) {
			Set<Class<?>> interfaces = new LinkedHashSet<>();
			for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(driverClass)) {
				if (type.getPackageName().equals(ConnectionFactory.class.getPackageName())) {
					interfaces.add(type);
				}
			}
			interfaces.add(Wrapped.class);
			return interfaces.toArray(Class<?>[]::new);
		}
	};

	private final Set<String> driverNames;

	private final Scheduler scheduler;

	/**
	 * Creates the decorator.
	 * @param driverNames the {@code ConnectionFactoryMetadata.getName()} values of the
	 * drivers to move off the caller's thread, e.g. {@code "H2"}; compared exactly
	 * @param scheduler where the driver's publishers are subscribed; its threads may
	 * block, so it must not be an event loop (a bounded elastic scheduler)
	 */
	public BlockingDriverOffload(Set<String> driverNames, Scheduler scheduler) {
		this.driverNames = Set.copyOf(driverNames);
		this.scheduler = scheduler;
	}

	/**
	 * Wraps the factory when its driver is one of the configured blocking drivers.
	 * @param connectionFactory the driver's factory, as Spring Boot built it
	 * @return a wrapper that runs the driver on the scheduler, or the factory itself for
	 * any other driver
	 */
	@Override
	public ConnectionFactory decorate(ConnectionFactory connectionFactory) {
		if (!this.driverNames.contains(connectionFactory.getMetadata().getName())) {
			return connectionFactory;
		}
		return (ConnectionFactory) wrap(connectionFactory);
	}

	private Object wrap(Object target) {
		return Proxy.newProxyInstance(BlockingDriverOffload.class.getClassLoader(),
				PROXY_INTERFACES.get(target.getClass()), new Offloading(target));
	}

	private Object wrapIfDriverObject(Object value) {
		for (Class<?> type : WRAPPED_TYPES) {
			if (type.isInstance(value)) {
				return wrap(value);
			}
		}
		return value;
	}

	private final class Offloading implements InvocationHandler {

		private final Object target;

		private Offloading(Object target) {
			this.target = target;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			if (method.getDeclaringClass() == Wrapped.class) {
				return (args == null) ? this.target : unwrap(proxy, (Class<?>) args[0]);
			}
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> proxy == args[0];
					case "hashCode" -> System.identityHashCode(proxy);
					default -> "Offloaded[" + this.target + "]";
				};
			}
			if (Publisher.class.isAssignableFrom(method.getReturnType())) {
				// Deferred, so that even a driver that does its work when the method is
				// called (not when subscribed) does it on the scheduler.
				return Flux.defer(() -> (Publisher<?>) call(method, args))
					.map(BlockingDriverOffload.this::wrapIfDriverObject)
					.subscribeOn(BlockingDriverOffload.this.scheduler);
			}
			Object result = call(method, args);
			// Fluent methods (Statement.bind, Batch.add, ...) return the driver's object.
			return (result == this.target) ? proxy : wrapIfDriverObject(result);
		}

		// Wrapped.unwrap(Class): the first of this wrapper, then the driver's chain,
		// that is of the type; null if none is (r2dbc-pool asks for a Scheduler).
		private Object unwrap(Object proxy, Class<?> type) {
			if (type.isInstance(proxy)) {
				return proxy;
			}
			if (this.target instanceof Wrapped<?> wrapped) {
				return wrapped.unwrap(type);
			}
			return type.isInstance(this.target) ? this.target : null;
		}

		private Object call(Method method, Object[] args) {
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw sneaky(ex.getCause());
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> RuntimeException sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
