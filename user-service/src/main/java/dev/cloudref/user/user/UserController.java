package dev.cloudref.user.user;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cloudref.starter.observability.TraceLogging;
import dev.cloudref.starter.web.Locations;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.cloudref.starter.apidocs.ResponseDescriptions.DATABASE_UNAVAILABLE;
import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_BODY;
import static dev.cloudref.starter.apidocs.ResponseDescriptions.INVALID_ID;

/**
 * Creates and reads users ({@code /users}). The OpenAPI annotations name each operation's
 * outcomes; service-starter documents the error bodies as problem details.
 */
@RestController
@RequestMapping("/users")
@Tag(name = "Users", description = "Create and read users")
class UserController {

	private static final Logger log = LoggerFactory.getLogger(UserController.class);

	private static final Sort OLDEST_FIRST = Sort.by("createdAt", "id");

	private final UserRepository users;

	private final UserLookup lookup;

	private final R2dbcEntityOperations database;

	UserController(UserRepository users, UserLookup lookup, R2dbcEntityOperations database) {
		this.users = users;
		this.lookup = lookup;
		this.database = database;
	}

	@PostMapping
	@Operation(operationId = "createUser", summary = "Create a user",
			description = "The name is stored without surrounding blanks, the e-mail address in lower case; "
					+ "no two users share an e-mail address, whatever its case.")
	@ApiResponse(responseCode = "201", description = "Created")
	@ApiResponse(responseCode = "400", description = INVALID_BODY)
	@ApiResponse(responseCode = "409", description = "Another user has this e-mail address")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<ResponseEntity<User>> create(@Valid @RequestBody CreateUserRequest request) {
		User user = new User(UUID.randomUUID(), request.name().strip(), request.email().toLowerCase(Locale.ROOT),
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
		return database.insert(user)
			.onErrorMap(DuplicateKeyException.class, ex -> new EmailTakenException(user.email()))
			.handle(TraceLogging.<User>onNext(created -> log.info("Created user {}", created.id())))
			.map(created -> ResponseEntity.created(Locations.of("/users/{id}", created.id())).body(created));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getUser", summary = "Get a user")
	@ApiResponse(responseCode = "200", description = "The user")
	@ApiResponse(responseCode = "400", description = INVALID_ID)
	@ApiResponse(responseCode = "404", description = "No user has this id")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<User> get(@PathVariable UUID id) {
		return lookup.require(id);
	}

	@GetMapping
	@Operation(operationId = "listUsers", summary = "List users, oldest first, one page at a time")
	@ApiResponse(responseCode = "200", description = "One page of users")
	@ApiResponse(responseCode = "400", description = "page or size is out of range (see errors)")
	@ApiResponse(responseCode = "503", description = DATABASE_UNAVAILABLE)
	Mono<UserPage> list(
			@Parameter(description = "Zero-based page number") @RequestParam(
					defaultValue = "0") @Min(0) @Max(100_000) int page,
			@Parameter(description = "Users per page") @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return users.findAllBy(PageRequest.of(page, size, OLDEST_FIRST))
			.collectList()
			.zipWith(users.count(), (content, total) -> UserPage.of(content, page, size, total));
	}

}
