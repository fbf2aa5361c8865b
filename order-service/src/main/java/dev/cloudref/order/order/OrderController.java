package dev.cloudref.order.order;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.cloudref.order.idempotency.Claim;
import dev.cloudref.order.idempotency.IdempotencyKeys;
import dev.cloudref.order.users.UserClient;

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
 * "The Idempotency-Key HTTP Header Field"), through {@link IdempotencyKeys}: a repeated
 * request with the same key and body returns the stored order instead of creating
 * another, even when the two requests race; while the first is still being processed,
 * a repeat is answered {@code 409} with {@code Retry-After}; the same key with a
 * different body is refused with {@code 422}. A request that fails stores nothing and
 * frees its key. Completed keys expire after {@code cloudref.idempotency.retention},
 * after which the same key creates a new order.
 */
@RestController
@RequestMapping("/orders")
@Tag(name = "Orders", description = "Place and read orders")
class OrderController {

	private static final Logger log = LoggerFactory.getLogger(OrderController.class);

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final String DATABASE_UNAVAILABLE = "The database cannot be reached; retry after Retry-After seconds";

	private final OrderRepository orders;

	private final R2dbcEntityOperations database;

	private final UserClient users;

	private final IdempotencyKeys idempotencyKeys;

	OrderController(OrderRepository orders, R2dbcEntityOperations database, UserClient users,
			IdempotencyKeys idempotencyKeys) {
		this.orders = orders;
		this.database = database;
		this.users = users;
		this.idempotencyKeys = idempotencyKeys;
	}

	@PostMapping
	@Operation(operationId = "placeOrder", summary = "Place an order",
			description = "With an Idempotency-Key, a repeated request with the same body returns the order "
					+ "placed first (201 with Idempotent-Replayed: true) instead of placing another.")
	@ApiResponse(responseCode = "201", description = "Placed (or, with Idempotent-Replayed, placed before)", headers = {
			@Header(name = "Location", description = "The order's path, e.g. /api/orders/{id}",
					schema = @Schema(type = "string", format = "uri-reference")),
			@Header(name = REPLAYED, description = "true when the order was placed by an earlier request with "
					+ "the same Idempotency-Key", schema = @Schema(type = "string", allowableValues = "true")) })
	@ApiResponse(responseCode = "400", description = "The body is not JSON, or fails validation (see errors)")
	@ApiResponse(responseCode = "409",
			description = "A request with this Idempotency-Key is still being processed; retry after Retry-After seconds",
			headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
					schema = @Schema(type = "integer")))
	@ApiResponse(responseCode = "422",
			description = "No user has the userId, or the Idempotency-Key was used with a different body")
	@ApiResponse(responseCode = "503", description = "user-service or the database cannot answer right now; "
			+ "nothing was stored; retry after Retry-After seconds")
	Mono<ResponseEntity<Order>> create(@Valid @RequestBody CreateOrderRequest request,
			@Parameter(description = "Makes retries safe: the same key with the same body places the order once "
					+ "(keys expire after cloudref.idempotency.retention)")
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Pattern(regexp = "[\\x21-\\x7E]{1,255}",
					message = "must be 1-255 visible ASCII characters") String idempotencyKey) {
		if (idempotencyKey == null) {
			return place(request).map(OrderController::placed);
		}
		return idempotencyKeys.claim(idempotencyKey, request.fingerprint())
			.flatMap(claim -> claim.isCompleted() ? replay(claim)
					: placeOnce(request, claim).map(OrderController::placed));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getOrder", summary = "Get an order")
	@ApiResponse(responseCode = "200", description = "The order")
	@ApiResponse(responseCode = "400", description = "The id is not a UUID")
	@ApiResponse(responseCode = "404", description = "No order has this id")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<Order> get(@PathVariable UUID id) {
		return orders.findById(id).switchIfEmpty(Mono.error(() -> OrderProblems.orderNotFound(id)));
	}

	@GetMapping
	@Operation(operationId = "listOrdersOfUser", summary = "List a user's orders, oldest first",
			description = "An unknown user has no orders: the list is empty.")
	@ApiResponse(responseCode = "200", description = "The user's orders")
	@ApiResponse(responseCode = "400", description = "userId is missing or not a UUID")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Flux<Order> byUser(@Parameter(description = "The user whose orders to list") @RequestParam UUID userId) {
		return orders.findByUserIdOrderByCreatedAtAscIdAsc(userId);
	}

	private Mono<Order> place(CreateOrderRequest request) {
		return requireUser(request.userId()).then(database.insert(toOrder(request)));
	}

	/** Places the order under a claim this request holds: order and key are stored together or not at all. */
	private Mono<Order> placeOnce(CreateOrderRequest request, Claim claim) {
		Mono<Order> placed = requireUser(request.userId())
			.then(idempotencyKeys.complete(claim, database.insert(toOrder(request)), Order::id));
		return idempotencyKeys.releasingOnFailure(claim, placed);
	}

	/** The response for the order created earlier under the claim's key. */
	private Mono<ResponseEntity<Order>> replay(Claim claim) {
		return orders.findById(claim.orderId())
			.doOnNext(order -> log.info("Replayed order {} for Idempotency-Key {}", order.id(), claim.key()))
			.map(order -> created(order).header(REPLAYED, "true").body(order));
	}

	private Mono<Void> requireUser(UUID userId) {
		return users.exists(userId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(OrderProblems.unknownUser(userId)));
	}

	private static Order toOrder(CreateOrderRequest request) {
		return new Order(UUID.randomUUID(), request.userId(), request.sku(), request.quantity(), Order.CREATED,
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	private static ResponseEntity<Order> placed(Order order) {
		log.info("Placed order {} for user {}", order.id(), order.userId());
		return created(order).body(order);
	}

	/** 201 with a relative {@code Location} (RFC 9110 §10.2.2): the gateway prefixes it with its own path. */
	private static ResponseEntity.BodyBuilder created(Order order) {
		URI location = UriComponentsBuilder.fromPath("/orders/{id}").buildAndExpand(order.id()).toUri();
		return ResponseEntity.created(location);
	}

}
