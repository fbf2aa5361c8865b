package dev.cloudref.gateway.security;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyRegistryTest {

	@Test
	void acceptsTheRightKeyAndNamesItsId() {
		ApiKeyRegistry registry = registry("demo:" + sha256Hex("s3cret-demo-key"));

		assertThat(registry.authenticate("s3cret-demo-key")).contains("demo");
	}

	@Test
	void rejectsAnUnknownKey() {
		ApiKeyRegistry registry = registry("demo:" + sha256Hex("s3cret-demo-key"));

		assertThat(registry.authenticate("guessed-key")).isEmpty();
		assertThat(registry.authenticate("S3CRET-DEMO-KEY")).isEmpty();
		assertThat(registry.authenticate("s3cret-demo-key ")).isEmpty();
	}

	@Test
	void rejectsAMissingOrEmptyKey() {
		ApiKeyRegistry registry = registry("demo:" + sha256Hex("s3cret-demo-key"));

		assertThat(registry.authenticate(null)).isEmpty();
		assertThat(registry.authenticate("")).isEmpty();
	}

	@Test
	void rejectsTheHashInPlaceOfTheKey() {
		String hash = sha256Hex("s3cret-demo-key");
		ApiKeyRegistry registry = registry("demo:" + hash);

		assertThat(registry.authenticate(hash)).isEmpty();
	}

	@Test
	void resolvesEachOfSeveralActiveKeysToItsOwnId() {
		ApiKeyRegistry registry = registry("old:" + sha256Hex("old-key"), "new:" + sha256Hex("new-key"),
				"ops:" + sha256Hex("ops-key"));

		assertThat(registry.authenticate("old-key")).contains("old");
		assertThat(registry.authenticate("new-key")).contains("new");
		assertThat(registry.authenticate("ops-key")).contains("ops");
		assertThat(registry.authenticate("other-key")).isEmpty();
	}

	@Test
	void acceptsHashesWrittenInUpperCaseHex() {
		ApiKeyRegistry registry = registry("demo:" + sha256Hex("s3cret-demo-key").toUpperCase(Locale.ROOT));

		assertThat(registry.authenticate("s3cret-demo-key")).contains("demo");
	}

	@Test
	void refusesEveryKeyWhenNoneIsConfigured() {
		ApiKeyRegistry registry = new ApiKeyRegistry(new ApiKeyProperties(List.of()));

		assertThat(registry.authenticate("anything")).isEmpty();
		assertThat(registry.authenticate("")).isEmpty();
	}

	private static ApiKeyRegistry registry(String... entries) {
		return new ApiKeyRegistry(new ApiKeyProperties(List.of(entries)));
	}

	static String sha256Hex(String key) {
		return HexFormat.of().formatHex(ApiKeyRegistry.sha256(key));
	}

}
