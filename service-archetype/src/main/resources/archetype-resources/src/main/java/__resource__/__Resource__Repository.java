package ${package}.${resource};

import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * The {@code ${resources}} table (Flyway migration {@code db/migration/V1__schema.sql}).
 */
interface ${Resource}Repository extends ReactiveCrudRepository<${Resource}, UUID> {

	/**
	 * @param ownerId a user's id
	 * @return that user's ${resources}, oldest first; empty if none
	 */
	Flux<${Resource}> findByOwnerIdOrderByCreatedAtAscIdAsc(UUID ownerId);

}
