package dev.cloudref.user.user;

import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reads users. New users are inserted through
 * {@link org.springframework.data.r2dbc.core.R2dbcEntityOperations#insert(Object)}
 * because their id is assigned before they are stored.
 */
interface UserRepository extends ReactiveCrudRepository<User, UUID> {

	Flux<User> findAllBy(Pageable pageable);

}
