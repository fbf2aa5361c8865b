package dev.cloudref.starter.web;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test-only controller whose endpoints fail in each way {@link ApiExceptionHandler}
 * maps.
 */
@RestController
@RequestMapping("/test")
class ThrowingController {

	static final String SECRET = "password=hunter2 at db-host-17";

	record Widget(@NotBlank String name, @Min(1) @Max(10) int count) {
	}

	@PostMapping("/widgets")
	Mono<Widget> create(@Valid @RequestBody Widget widget) {
		return Mono.just(widget);
	}

	@PostMapping("/tagged-widgets")
	Mono<Widget> createTagged(@Valid @RequestBody Widget widget,
			@RequestHeader(name = "X-Tag", required = false) @Pattern(regexp = "[a-z]+") String tag) {
		return Mono.just(widget);
	}

	@GetMapping("/widgets/{id}")
	Mono<String> get(@PathVariable UUID id) {
		return Mono.just(id.toString());
	}

	@GetMapping("/widgets")
	Mono<String> list(@RequestParam @Min(1) @Max(100) int size) {
		return Mono.just("size " + size);
	}

	@GetMapping("/teapot")
	Mono<String> teapot() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.I_AM_A_TEAPOT, "Only tea here.");
		problem.setTitle("Teapot");
		ErrorResponseException ex = new ErrorResponseException(HttpStatus.I_AM_A_TEAPOT, problem, null);
		ex.getHeaders().set("X-Brew", "earl-grey");
		return Mono.error(ex);
	}

	@GetMapping("/database-down")
	Mono<String> databaseDown() {
		return Mono.error(new DataAccessResourceFailureException("Connection refused: " + SECRET));
	}

	@GetMapping("/database-slow")
	Mono<String> databaseSlow() {
		return Mono.error(new QueryTimeoutException("Query timed out: " + SECRET));
	}

	@GetMapping("/conflict")
	Mono<String> conflict() {
		return Mono.error(new DataIntegrityViolationException("Unique index violated: " + SECRET));
	}

	@GetMapping("/client-gone")
	Mono<String> clientGone() {
		return Mono.error(new AbortedException("Connection has been closed BEFORE send operation"));
	}

	@GetMapping("/bug")
	Mono<String> bug() {
		return Mono.error(new IllegalStateException("Internal invariant broken: " + SECRET));
	}

	@GetMapping("/bug-thrown")
	String bugThrown() {
		throw new NullPointerException(SECRET);
	}

}
