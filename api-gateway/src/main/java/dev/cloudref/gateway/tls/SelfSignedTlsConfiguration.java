package dev.cloudref.gateway.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Supplies the SSL bundle {@value #BUNDLE_NAME}: a self-signed certificate created on
 * first start (see {@link SelfSignedCertificate}). Active while
 * {@code server.ssl.bundle} names it, which is the default; pointing
 * {@code server.ssl.bundle} at a bundle of your own (Spring Boot's
 * {@code spring.ssl.bundle.pem.*} or {@code spring.ssl.bundle.jks.*} properties) turns
 * it off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "server.ssl.bundle", havingValue = SelfSignedTlsConfiguration.BUNDLE_NAME)
class SelfSignedTlsConfiguration {

	static final String BUNDLE_NAME = "self-signed";

	private static final Logger log = LoggerFactory.getLogger(SelfSignedTlsConfiguration.class);

	@Bean
	SslBundleRegistrar selfSignedSslBundle(TlsProperties properties) {
		return registry -> {
			SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(properties.dir(), properties.hostnames(),
					properties.validity());
			log.info("TLS with the self-signed certificate {} (clients: --cacert {})", files.certificate(),
					files.certificate());
			PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate(files.certificate().toUri().toString())
				.withPrivateKey(files.privateKey().toUri().toString());
			registry.registerBundle(BUNDLE_NAME, SslBundle.of(new PemSslStoreBundle(keyStore, null)));
		};
	}

}
