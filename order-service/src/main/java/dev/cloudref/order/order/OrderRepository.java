package dev.cloudref.order.order;

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reads orders. New orders are inserted through
 * {@link org.springframework.data.r2dbc.core.R2dbcEntityOperations#insert(Object)}
 * because their id is assigned before they are stored.
 */
interface OrderRepository extends ReactiveCrudRepository<Order, UUID> {

	/**
	 * One page of a user's orders, in the page's sort order (index
	 * {@code orders_user_id_idx}).
	 */
	Flux<Order> findByUserId(UUID userId, Pageable page);

	Mono<Long> countByUserId(UUID userId);

}
