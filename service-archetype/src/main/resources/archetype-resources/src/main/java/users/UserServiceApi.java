package ${package}.users;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The part of user-service's HTTP API that this service uses: a typed client, implemented
 * by a proxy of the HTTP service group {@code user-service} ({@link UserClient}).
 */
interface UserServiceApi {

	@GetExchange("/users/{id}")
	Mono<UserSummary> get(@PathVariable UUID id);

}
