package dev.cloudref.gateway.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Supplies the SSL bundle {@value #BUNDLE_NAME}: a {@link SelfSignedCertificate} created
 * on first start and renewed before it expires. Active while {@code server.ssl.bundle}
 * names it (the default); naming a bundle of your own turns it off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "server.ssl.bundle", havingValue = SelfSignedTlsConfiguration.BUNDLE_NAME)
@EnableScheduling
class SelfSignedTlsConfiguration {

	static final String BUNDLE_NAME = "self-signed";

	private static final Logger log = LoggerFactory.getLogger(SelfSignedTlsConfiguration.class);

	@Bean
	SslBundleRegistrar selfSignedSslBundle(TlsProperties properties) {
		return registry -> {
			SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(properties.dir(), properties.hostnames(),
					properties.validity(), properties.renewBefore());
			log.info("TLS with the self-signed certificate {}, valid until {} (clients: --cacert {})",
					files.certificate(), files.notAfter(), files.certificate());
			registry.registerBundle(BUNDLE_NAME, bundle(files));
		};
	}

	@Bean
	Renewal selfSignedCertificateRenewal(TlsProperties properties, SslBundleRegistry registry) {
		return new Renewal(properties, registry);
	}

	static SslBundle bundle(SelfSignedCertificate files) {
		PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate(files.certificate().toUri().toString())
			.withPrivateKey(files.privateKey().toUri().toString());
		return SslBundle.of(new PemSslStoreBundle(keyStore, null));
	}

	/**
	 * Renews the certificate of a running gateway when it comes within
	 * {@code renew-before} of its expiry, and hands the new one to the HTTPS server
	 * (which Spring Boot updates for new connections).
	 */
	static class Renewal {

		private final TlsProperties properties;

		private final SslBundleRegistry registry;

		Renewal(TlsProperties properties, SslBundleRegistry registry) {
			this.properties = properties;
			this.registry = registry;
		}

		/**
		 * @return whether the certificate was renewed
		 */
		@Scheduled(initialDelayString = "${gateway.tls.renewal-check-interval:12h}",
				fixedDelayString = "${gateway.tls.renewal-check-interval:12h}")
		boolean renewIfDue() {
			SelfSignedCertificate files = SelfSignedCertificate.in(properties.dir());
			if (!files.renewIfExpiresWithin(properties.renewBefore(), properties.hostnames(), properties.validity())) {
				return false;
			}
			registry.updateBundle(BUNDLE_NAME, bundle(files));
			log.warn("Renewed the self-signed certificate {}, now valid until {}: clients that trust the old one "
					+ "must take the new file", files.certificate(), files.notAfter());
			return true;
		}

	}

}
