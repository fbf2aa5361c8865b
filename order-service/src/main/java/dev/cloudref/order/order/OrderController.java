package dev.cloudref.order.order;

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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.order.outbox.Outbox;
import dev.cloudref.order.users.UserClient;
import dev.cloudref.starter.idempotency.IdempotencyKeys;
import dev.cloudref.starter.idempotency.Outcome;
import dev.cloudref.starter.observability.TraceLogging;
import dev.cloudref.starter.web.CallerId;
import dev.cloudref.starter.web.Locations;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.cloudref.starter.apidocs.ResponseDescriptions.DATABASE_UNAVAILABLE;
import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_BODY;
import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_ID;

/**
 * Places and reads orders ({@code /orders}). {@code POST} honours an optional
 * {@code Idempotency-Key} (IETF draft) through {@link IdempotencyKeys}, scoped by the
 * gateway's {@code Caller-Id}, so that a retried request places one order. A placed order
 * and its {@link OrderPlaced} event are stored in one transaction (the outbox).
 */
@RestController
@RequestMapping("/orders")
@Tag(name = "Orders", description = "Place and read orders")
class OrderController {

	private static final Logger log = LoggerFactory.getLogger(OrderController.class);

	/**
	 * Largest page size: 100 orders are about 20 KB of JSON, far below any client's codec
	 * limit.
	 */
	static final int MAX_PAGE_SIZE = 100;

	/** Highest page number; with the largest size, a million orders of one user. */
	static final int MAX_PAGE = 10_000;

	private static final Sort OLDEST_FIRST = Sort.by("createdAt", "id");

	private final OrderRepository orders;

	private final R2dbcEntityOperations database;

	private final UserClient users;

	private final IdempotencyKeys idempotencyKeys;

	private final Outbox outbox;

	private final TransactionalOperator transactions;

	OrderController(OrderRepository orders, R2dbcEntityOperations database, UserClient users,
			IdempotencyKeys idempotencyKeys, Outbox outbox, TransactionalOperator transactions) {
		this.orders = orders;
		this.database = database;
		this.users = users;
		this.idempotencyKeys = idempotencyKeys;
		this.outbox = outbox;
		this.transactions = transactions;
	}

	@PostMapping
	@Operation(operationId = "placeOrder", summary = "Place an order",
			description = "With an Idempotency-Key, a repeated request with the same body returns the order "
					+ "placed first (201 with Idempotent-Replayed: true) instead of placing another.")
	@ApiResponse(responseCode = "201", description = "Placed (or, with Idempotent-Replayed, placed before)",
			headers = { @Header(name = Outcome.REPLAYED_HEADER,
					description = "true when the order was placed by an earlier request with "
							+ "the same Idempotency-Key",
					schema = @Schema(type = "string", allowableValues = "true")) })
	@ApiResponse(responseCode = "400", description = INVALID_BODY)
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
					+ "(keys expire after cloudref.idempotency.retention)") @RequestHeader(
							name = IdempotencyKeys.HEADER,
							required = false) @Pattern(regexp = IdempotencyKeys.KEY_PATTERN,
									message = "must be 1-255 visible ASCII characters") String idempotencyKey,
			@Parameter(hidden = true) @RequestHeader(name = CallerId.HEADER, required = false) @Pattern(
					regexp = CallerId.PATTERN, message = "must be 1-255 visible ASCII characters") String caller) {
		// Idempotency keys are the caller's own: the gateway names the caller (CallerId).
		return idempotencyKeys
			.execute(CallerId.of(caller), idempotencyKey, request.fingerprint(),
					id -> orders.findById(UUID.fromString(id)),
					completion -> requireUser(request.userId())
						.then(completion.store(store(toOrder(request)), Order::id)))
			.handle(TraceLogging.onNext(OrderController::logPlaced))
			.doOnNext(this::relaySoon)
			.map(outcome -> outcome.created(Locations.of("/orders/{id}", outcome.resource().id())));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getOrder", summary = "Get an order")
	@ApiResponse(responseCode = "200", description = "The order")
	@ApiResponse(responseCode = "400", description = INVALID_ID)
	@ApiResponse(responseCode = "404", description = "No order has this id")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<Order> get(@PathVariable UUID id) {
		return orders.findById(id).switchIfEmpty(Mono.error(() -> OrderProblems.orderNotFound(id)));
	}

	@GetMapping
	@Operation(operationId = "listOrdersOfUser", summary = "List a user's orders, oldest first, one page at a time",
			description = "An unknown user has no orders: the page is empty.")
	@ApiResponse(responseCode = "200", description = "One page of the user's orders")
	@ApiResponse(responseCode = "400", description = "userId is missing or not a UUID, or page or size is out of range")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<OrderPage> byUser(@Parameter(description = "The user whose orders to list") @RequestParam UUID userId,
			@Parameter(description = "Zero-based page number") @RequestParam(
					defaultValue = "0") @Min(0) @Max(MAX_PAGE) int page,
			@Parameter(description = "Orders per page") @RequestParam(
					defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size) {
		return orders.findByUserId(userId, PageRequest.of(page, size, OLDEST_FIRST))
			.collectList()
			.zipWith(orders.countByUserId(userId), (content, total) -> OrderPage.of(content, page, size, total));
	}

	/**
	 * Stores the order and its event in one transaction (the idempotency key's completion
	 * joins it when there is one).
	 */
	private Mono<Order> store(Order order) {
		OrderPlaced event = OrderPlaced.of(order);
		return transactions.transactional(database.insert(order)
			.flatMap(stored -> outbox.append(event.eventId(), OrderPlaced.TYPE, OrderPlaced.ROUTING_KEY, event)
				.thenReturn(stored)));
	}

	private Mono<Void> requireUser(UUID userId) {
		return users.exists(userId)
			.flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(OrderProblems.unknownUser(userId)));
	}

	private static Order toOrder(CreateOrderRequest request) {
		return new Order(UUID.randomUUID(), request.userId(), request.sku(), request.quantity(), Order.CREATED,
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	/** After the commit: the relay publishes the new order's event soon. */
	private void relaySoon(Outcome<Order> outcome) {
		if (!outcome.replayed()) {
			outbox.committed();
		}
	}

	private static void logPlaced(Outcome<Order> outcome) {
		if (!outcome.replayed()) {
			log.info("Placed order {} for user {}", outcome.resource().id(), outcome.resource().userId());
		}
	}

}
