package dev.cloudref.bench.webmvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A gateway on Spring Cloud Gateway Server WebMVC on virtual threads with one route and
 * nothing else, for the benchmark's variant scenarios: the stack's own cost per request,
 * without the real gateway's filters and observation.
 */
@SpringBootApplication
public class BareWebmvcGateway {

	public static void main(String[] args) {
		SpringApplication.run(BareWebmvcGateway.class, args);
	}

}
