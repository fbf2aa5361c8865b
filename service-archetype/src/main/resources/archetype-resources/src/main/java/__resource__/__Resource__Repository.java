package ${package}.${resource};

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * The {@code ${resources}} table (Flyway migration {@code db/migration/V1__schema.sql}).
 */
interface ${Resource}Repository extends ReactiveCrudRepository<${Resource}, UUID> {

	/**
	 * @param ownerId a user's id
	 * @param page which page, of what size, in which order
	 * @return that page of the user's ${resources}; empty if none
	 */
	Flux<${Resource}> findByOwnerId(UUID ownerId, Pageable page);

	/**
	 * @param ownerId a user's id
	 * @return how many ${resources} the user has
	 */
	Mono<Long> countByOwnerId(UUID ownerId);

}
