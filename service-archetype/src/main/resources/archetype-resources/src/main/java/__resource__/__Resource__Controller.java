package ${package}.${resource};

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import ${package}.users.UserClient;

import org.springframework.data.r2dbc.core.R2dbcEntityOperations;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Creates and reads ${resources} ({@code /${resources}}; {@code /api/${resources}} at the
 * gateway). Creating one checks its owner with user-service first; errors are problem
 * details (service-starter).
 */
@RestController
@RequestMapping("/${resources}")
@Tag(name = "${Resource}s", description = "Create and read ${resources}")
class ${Resource}Controller {

	private final ${Resource}Repository ${resources};

	private final R2dbcEntityOperations database;

	private final UserClient users;

	${Resource}Controller(${Resource}Repository ${resources}, R2dbcEntityOperations database, UserClient users) {
		this.${resources} = ${resources};
		this.database = database;
		this.users = users;
	}

	@PostMapping
	@Operation(operationId = "create${Resource}", summary = "Create a ${resource} for an existing user")
	@ApiResponse(responseCode = "201", description = "Created; Location is the new ${resource}'s path")
	@ApiResponse(responseCode = "400", description = "The body is not JSON, or fails validation (see errors)")
	@ApiResponse(responseCode = "422", description = "No user has the ownerId")
	@ApiResponse(responseCode = "503", description = "user-service or the database cannot be reached")
	Mono<ResponseEntity<${Resource}>> create(@Valid @RequestBody Create${Resource}Request request) {
		return users.exists(request.ownerId())
			.flatMap(known -> known ? Mono.just(request) : Mono.error(new UnknownOwnerException(request.ownerId())))
			.map(valid -> new ${Resource}(UUID.randomUUID(), valid.name().strip(), valid.ownerId(),
					Instant.now().truncatedTo(ChronoUnit.MILLIS)))
			.flatMap(database::insert)
			.map(created -> ResponseEntity.created(location(created.id())).body(created));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "get${Resource}", summary = "Get a ${resource}")
	@ApiResponse(responseCode = "200", description = "The ${resource}")
	@ApiResponse(responseCode = "400", description = "The id is not a UUID")
	@ApiResponse(responseCode = "404", description = "No ${resource} has this id")
	Mono<${Resource}> get(@PathVariable UUID id) {
		return ${resources}.findById(id).switchIfEmpty(Mono.error(() -> new ${Resource}NotFoundException(id)));
	}

	@GetMapping
	@Operation(operationId = "list${Resource}s", summary = "List a user's ${resources}, oldest first")
	@ApiResponse(responseCode = "200", description = "The ${resources}; empty if none")
	@ApiResponse(responseCode = "400", description = "ownerId is missing or not a UUID")
	Mono<List<${Resource}>> list(@RequestParam UUID ownerId) {
		return ${resources}.findByOwnerIdOrderByCreatedAtAscIdAsc(ownerId).collectList();
	}

	/** A relative reference (RFC 9110 §10.2.2): the gateway prefixes it with its own path. */
	private static URI location(UUID id) {
		return UriComponentsBuilder.fromPath("/${resources}/{id}").buildAndExpand(id).toUri();
	}

}
