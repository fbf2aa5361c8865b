package dev.cloudref.order.order;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.cloudref.order.users.UserClient;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Places and reads orders ({@code /orders}).
 *
 * <p>{@code POST} honours an optional {@code Idempotency-Key} header (IETF draft
 * "The Idempotency-Key HTTP Header Field"): the key is stored with the order under a
 * unique constraint, so a repeated request with the same key and body returns the
 * stored order instead of creating another, even when the two requests race; the same
 * key with a different body is refused with {@code 422}.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private static final Logger log = LoggerFactory.getLogger(OrderController.class);

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private final OrderRepository orders;

	private final R2dbcEntityOperations database;

	private final UserClient users;

	OrderController(OrderRepository orders, R2dbcEntityOperations database, UserClient users) {
		this.orders = orders;
		this.database = database;
		this.users = users;
	}

	@PostMapping
	Mono<ResponseEntity<Order>> create(@Valid @RequestBody CreateOrderRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Pattern(regexp = "[\\x21-\\x7E]{1,255}",
					message = "must be 1-255 visible ASCII characters") String idempotencyKey) {
		String fingerprint = request.fingerprint();
		return replay(idempotencyKey, fingerprint)
			.switchIfEmpty(Mono.defer(() -> place(request, idempotencyKey, fingerprint)));
	}

	@GetMapping("/{id}")
	Mono<Order> get(@PathVariable UUID id) {
		return orders.findById(id).switchIfEmpty(Mono.error(() -> OrderProblems.orderNotFound(id)));
	}

	@GetMapping
	Flux<Order> byUser(@RequestParam UUID userId) {
		return orders.findByUserIdOrderByCreatedAtAscIdAsc(userId);
	}

	/**
	 * The response for the order stored earlier under this key, if the body matches;
	 * empty without a key or such an order.
	 */
	private Mono<ResponseEntity<Order>> replay(String idempotencyKey, String fingerprint) {
		if (idempotencyKey == null) {
			return Mono.empty();
		}
		return orders.findByIdempotencyKey(idempotencyKey).<Order>handle((order, sink) -> {
			if (order.requestHash().equals(fingerprint)) {
				sink.next(order);
			}
			else {
				sink.error(OrderProblems.idempotencyKeyReused(idempotencyKey));
			}
		})
			.doOnNext(order -> log.info("Replayed order {} for Idempotency-Key {}", order.id(), idempotencyKey))
			.map(order -> created(order).header(REPLAYED, "true").body(order));
	}

	private Mono<ResponseEntity<Order>> place(CreateOrderRequest request, String idempotencyKey, String fingerprint) {
		Order order = new Order(UUID.randomUUID(), request.userId(), request.sku(), request.quantity(), Order.CREATED,
				Instant.now().truncatedTo(ChronoUnit.MILLIS), idempotencyKey, idempotencyKey == null ? null : fingerprint);
		return requireUser(request.userId()).then(database.insert(order))
			.doOnNext(stored -> log.info("Placed order {} for user {}", stored.id(), stored.userId()))
			.map(stored -> created(stored).body(stored))
			// A concurrent request with the same key won the insert: answer with its order.
			.onErrorResume(DuplicateKeyException.class,
					ex -> (idempotencyKey != null) ? replay(idempotencyKey, fingerprint) : Mono.error(ex));
	}

	private Mono<Void> requireUser(UUID userId) {
		return users.exists(userId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(OrderProblems.unknownUser(userId)));
	}

	/** 201 with a relative {@code Location} (RFC 9110 §10.2.2): the gateway prefixes it with its own path. */
	private static ResponseEntity.BodyBuilder created(Order order) {
		URI location = UriComponentsBuilder.fromPath("/orders/{id}").buildAndExpand(order.id()).toUri();
		return ResponseEntity.created(location);
	}

}
