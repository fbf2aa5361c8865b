package dev.cloudref.starter.config;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import jakarta.validation.Validation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Immutable {@code @ConfigurationProperties} (a record) that follow configuration changes
 * while the application runs. Spring Cloud rebinds JavaBean properties in place when the
 * environment changes (a config server change through Spring Cloud Bus, or
 * {@code POST /actuator/refresh}), but leaves constructor-bound ones as they were: this
 * holder binds the record again from the {@link EnvironmentChangeEvent}'s environment
 * when one of its keys changed, validates it as Spring Boot did at start, and makes the
 * new value {@link #current()}. A value that fails to bind or validate is refused with an
 * error in the log, and the one in force stays, so a typo in the config repository never
 * takes a running instance down.
 *
 * <p>
 * Declare it as a bean (so that it receives the events) and read {@link #current()} where
 * the value is used, not once at construction.
 *
 * @param <T> the properties' type
 */
public class RefreshableProperties<T> implements ApplicationListener<EnvironmentChangeEvent> {

	private static final Log log = LogFactory.getLog(RefreshableProperties.class);

	private final String prefix;

	private final Class<T> type;

	private final AtomicReference<T> current;

	private final Environment environment;

	private final Validator validator;

	private final List<BiConsumer<T, T>> changeListeners = new CopyOnWriteArrayList<>();

	/**
	 * @param prefix the properties' prefix, e.g. {@code gateway.rate-limit}
	 * @param type the properties' type
	 * @param initial the value bound at start
	 * @param environment the application's environment, where changes are bound from
	 * @param validator the Bean Validation checks of {@code type} (e.g. Spring Boot's
	 * {@code defaultValidator})
	 */
	public RefreshableProperties(String prefix, Class<T> type, T initial, Environment environment,
			Validator validator) {
		this.prefix = prefix;
		this.type = type;
		this.current = new AtomicReference<>(Objects.requireNonNull(initial));
		this.environment = environment;
		this.validator = validator;
	}

	/**
	 * The usual bean: validated with Spring Boot's Bean Validation validator, or a
	 * default one where the application has none (or several).
	 * @param <T> the properties' type
	 * @param prefix the properties' prefix
	 * @param type the properties' type
	 * @param initial the value bound at start
	 * @param environment the application's environment
	 * @param validator the application's Bean Validation validator, if any
	 * @return the holder
	 */
	public static <T> RefreshableProperties<T> validated(String prefix, Class<T> type, T initial,
			Environment environment, ObjectProvider<jakarta.validation.Validator> validator) {
		return new RefreshableProperties<>(prefix, type, initial, environment, new SpringValidatorAdapter(
				validator.getIfUnique(() -> Validation.buildDefaultValidatorFactory().getValidator())));
	}

	/**
	 * @return the value in force: the last one that bound and validated
	 */
	public T current() {
		return current.get();
	}

	/**
	 * @param listener called with the previous and the new value after each accepted
	 * change, on the thread that published the event
	 */
	public void onChange(BiConsumer<T, T> listener) {
		changeListeners.add(listener);
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().noneMatch(key -> key.startsWith(prefix + "."))) {
			return;
		}
		T next;
		try {
			next = Binder.get(environment)
				.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(validator));
		}
		catch (BindException ex) {
			Throwable reason = (ex.getCause() != null) ? ex.getCause() : ex;
			log.error(prefix + ".* unchanged: the new values are invalid (" + reason.getMessage() + ")");
			return;
		}
		T previous = current.getAndSet(next);
		log.info(prefix + ".* changed: " + next);
		changeListeners.forEach(listener -> listener.accept(previous, next));
	}

}
