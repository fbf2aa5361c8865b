package ${package}.${resource};

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

import ${package}.users.UserClient;
import dev.cloudref.starter.idempotency.IdempotencyKeys;
import dev.cloudref.starter.web.CallerId;
import dev.cloudref.starter.web.Locations;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
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

/**
 * Creates and reads ${resources} ({@code /${resources}}; {@code /api/${resources}} at the
 * gateway). Creating one checks its owner with user-service first, and honours an
 * optional {@code Idempotency-Key} (service-starter's {@link IdempotencyKeys}: a repeat
 * with the same key and body answers the ${resource} created first). Errors are problem
 * details (service-starter).
 */
@RestController
@RequestMapping("/${resources}")
@Tag(name = "${Resource}s", description = "Create and read ${resources}")
class ${Resource}Controller {

	private static final Sort OLDEST_FIRST = Sort.by("createdAt", "id");

	private final ${Resource}Repository ${resources};

	private final R2dbcEntityOperations database;

	private final UserClient users;

	private final IdempotencyKeys idempotencyKeys;

	${Resource}Controller(${Resource}Repository ${resources}, R2dbcEntityOperations database, UserClient users,
			IdempotencyKeys idempotencyKeys) {
		this.${resources} = ${resources};
		this.database = database;
		this.users = users;
		this.idempotencyKeys = idempotencyKeys;
	}

	@PostMapping
	@Operation(operationId = "create${Resource}", summary = "Create a ${resource} for an existing user",
			description = "With an Idempotency-Key, a repeated request with the same body returns the ${resource} "
					+ "created first (201 with Idempotent-Replayed: true) instead of creating another.")
	@ApiResponse(responseCode = "201", description = "Created; Location is the new ${resource}'s path")
	@ApiResponse(responseCode = "400", description = "The body is not JSON, or fails validation (see errors)")
	@ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still in progress")
	@ApiResponse(responseCode = "422",
			description = "No user has the ownerId, or the Idempotency-Key was used with a different body")
	@ApiResponse(responseCode = "503", description = "user-service or the database cannot answer right now")
	Mono<ResponseEntity<${Resource}>> create(@Valid @RequestBody Create${Resource}Request request,
			@Parameter(description = "Makes retries safe: the same key with the same body creates one ${resource}")
			@RequestHeader(name = IdempotencyKeys.HEADER, required = false) @Pattern(regexp = IdempotencyKeys.KEY_PATTERN,
					message = "must be 1-255 visible ASCII characters") String idempotencyKey,
			@Parameter(hidden = true) @RequestHeader(name = CallerId.HEADER, required = false)
			@Pattern(regexp = CallerId.PATTERN, message = "must be 1-255 visible ASCII characters") String caller) {
		// Idempotency keys are the caller's own: the gateway names the caller (CallerId).
		return idempotencyKeys
			.execute(CallerId.of(caller), idempotencyKey, request.fingerprint(), id -> ${resources}.findById(UUID.fromString(id)),
					completion -> requireOwner(request.ownerId())
						.then(completion.store(database.insert(to${Resource}(request)), ${Resource}::id)))
			.map(outcome -> outcome.created(Locations.of("/${resources}/{id}", outcome.resource().id())));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "get${Resource}", summary = "Get a ${resource}")
	@ApiResponse(responseCode = "200", description = "The ${resource}")
	@ApiResponse(responseCode = "400", description = "The id is not a UUID")
	@ApiResponse(responseCode = "404", description = "No ${resource} has this id")
	Mono<${Resource}> get(@PathVariable UUID id) {
		return ${resources}.findById(id).switchIfEmpty(Mono.error(() -> ${Resource}Problems.notFound(id)));
	}

	@GetMapping
	@Operation(operationId = "list${Resource}s", summary = "List a user's ${resources}, oldest first, one page at a time")
	@ApiResponse(responseCode = "200", description = "One page of the ${resources}; empty if none")
	@ApiResponse(responseCode = "400", description = "ownerId is missing or not a UUID, or page or size is out of range")
	Mono<${Resource}Page> list(@RequestParam UUID ownerId,
			@Parameter(description = "Zero-based page number") @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
			@Parameter(description = "${Resource}s per page") @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return ${resources}.findByOwnerId(ownerId, PageRequest.of(page, size, OLDEST_FIRST))
			.collectList()
			.zipWith(${resources}.countByOwnerId(ownerId), (content, total) -> ${Resource}Page.of(content, page, size, total));
	}

	private Mono<Void> requireOwner(UUID ownerId) {
		return users.exists(ownerId)
			.flatMap(known -> known ? Mono.<Void>empty() : Mono.error(${Resource}Problems.unknownOwner(ownerId)));
	}

	private static ${Resource} to${Resource}(Create${Resource}Request request) {
		return new ${Resource}(UUID.randomUUID(), request.name().strip(), request.ownerId(),
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

}
