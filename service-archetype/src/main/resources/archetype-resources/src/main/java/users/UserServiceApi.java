package ${package}.users;

import java.util.UUID;

import reactor.core.publisher.Mono;

import dev.cloudref.starter.security.OutboundTokens;

import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The part of user-service's HTTP API that this service uses: a typed client, implemented
 * by a proxy of the HTTP service group {@code user-service} ({@link UserClient}).
 * Every call carries this service's own access token ({@link OutboundTokens}; its client
 * in auth-server's application.yml, added by tools/new-service.sh).
 */
@ClientRegistrationId(OutboundTokens.REGISTRATION_ID)
interface UserServiceApi {

	@GetExchange("/users/{id}")
	Mono<UserSummary> get(@PathVariable UUID id);

}
