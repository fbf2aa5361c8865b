package dev.cloudref.order.order;

import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reads orders. New orders are inserted through
 * {@link org.springframework.data.r2dbc.core.R2dbcEntityOperations#insert(Object)}
 * because their id is assigned before they are stored.
 */
interface OrderRepository extends ReactiveCrudRepository<Order, UUID> {

	Flux<Order> findByUserIdOrderByCreatedAtAscIdAsc(UUID userId);

}
