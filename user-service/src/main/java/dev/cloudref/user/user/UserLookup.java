package dev.cloudref.user.user;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The user feature's API for other features: find a user or fail with
 * {@link UserNotFoundException}.
 */
@Component
public class UserLookup {

	private final UserRepository users;

	UserLookup(UserRepository users) {
		this.users = users;
	}

	/**
	 * @param id the user's id
	 * @return the user; errors with {@link UserNotFoundException} when there is none
	 */
	public Mono<User> require(UUID id) {
		return users.findById(id).switchIfEmpty(Mono.error(() -> new UserNotFoundException(id)));
	}

}
