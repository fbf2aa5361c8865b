package dev.cloudref.gateway.tls;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemContent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class SelfSignedCertificateTest {

	private static final List<String> HOSTNAMES = List.of("localhost", "127.0.0.1", "::1");

	private static final Duration VALIDITY = Duration.ofDays(825);

	@TempDir
	Path tempDir;

	@Test
	void createsTheCertificateAndKeyFilesInANewDirectory() {
		Path dir = tempDir.resolve("nested/certs");

		SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(dir, HOSTNAMES, VALIDITY);

		assertThat(files.certificate()).isRegularFile().hasFileName("gateway.crt").hasParent(dir.toAbsolutePath());
		assertThat(files.privateKey()).isRegularFile().hasFileName("gateway.key").hasParent(dir.toAbsolutePath());
		assertThat(files.certificate()).content().startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(files.privateKey()).content().startsWith("-----BEGIN PRIVATE KEY-----");
	}

	@Test
	void makesThePrivateKeyReadableByItsOwnerOnly() throws Exception {
		assumeThat(tempDir.getFileSystem().supportedFileAttributeViews()).contains("posix");

		SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
			.isEqualTo("rw-------");
	}

	@Test
	void reusesTheExistingCertificateOnTheNextStart() throws Exception {
		SelfSignedCertificate first = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);
		byte[] certificate = Files.readAllBytes(first.certificate());
		byte[] key = Files.readAllBytes(first.privateKey());

		SelfSignedCertificate second = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);

		assertThat(second.certificate()).isEqualTo(first.certificate());
		assertThat(Files.readAllBytes(second.certificate())).isEqualTo(certificate);
		assertThat(Files.readAllBytes(second.privateKey())).isEqualTo(key);
	}

	@Test
	void createsANewPairWhenTheKeyIsMissing() throws Exception {
		SelfSignedCertificate first = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);
		byte[] certificate = Files.readAllBytes(first.certificate());
		Files.delete(first.privateKey());

		SelfSignedCertificate second = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);

		assertThat(second.privateKey()).isRegularFile();
		assertThat(Files.readAllBytes(second.certificate())).isNotEqualTo(certificate);
		assertKeyMatchesCertificate(second);
	}

	@Test
	void issuesAServerCertificateForTheConfiguredNamesThatIsNotACa() throws Exception {
		SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY);

		X509Certificate certificate = parse(files.certificate());

		assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
		assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
		Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
		assertThat(sans).contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
		assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
		assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
		assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
		certificate.checkValidity();
		certificate.verify(certificate.getPublicKey());
	}

	@Test
	void isValidForTheConfiguredDuration() throws Exception {
		Instant before = Instant.now();
		SelfSignedCertificate files = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, Duration.ofDays(30));
		Instant after = Instant.now();

		X509Certificate certificate = parse(files.certificate());

		assertThat(certificate.getNotBefore().toInstant()).isBeforeOrEqualTo(before);
		assertThat(certificate.getNotAfter().toInstant()).isBetween(before.plus(Duration.ofDays(30)).minusSeconds(1),
				after.plus(Duration.ofDays(30)).plusSeconds(1));
	}

	@Test
	void writesAPrivateKeyThatBelongsToTheCertificate() throws Exception {
		assertKeyMatchesCertificate(SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY));
	}

	@Test
	void replacesACertificateThatExpiresWithinItsRenewalPeriodAtStart() throws Exception {
		SelfSignedCertificate first = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, Duration.ofDays(20));
		byte[] certificate = Files.readAllBytes(first.certificate());

		// Valid 20 more days, renewed 30 days before expiry: replaced by one valid 825
		// days.
		SelfSignedCertificate second = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY,
				Duration.ofDays(30));

		assertThat(Files.readAllBytes(second.certificate())).isNotEqualTo(certificate);
		assertThat(second.notAfter()).isAfter(Instant.now().plus(Duration.ofDays(824)));
		assertKeyMatchesCertificate(second);
	}

	@Test
	void keepsACertificateOutsideItsRenewalPeriod() throws Exception {
		SelfSignedCertificate first = SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, Duration.ofDays(40));
		byte[] certificate = Files.readAllBytes(first.certificate());

		assertThat(first.renewIfExpiresWithin(Duration.ofDays(30), HOSTNAMES, VALIDITY)).isFalse();
		assertThat(Files.readAllBytes(first.certificate())).isEqualTo(certificate);
	}

	@Test
	void aRunningGatewayRenewsAndHandsTheNewCertificateToTheServer() throws Exception {
		SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, Duration.ofDays(20));
		DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
		registry.registerBundle(SelfSignedTlsConfiguration.BUNDLE_NAME,
				SelfSignedTlsConfiguration.bundle(SelfSignedCertificate.loadOrCreate(tempDir, HOSTNAMES, VALIDITY)));
		List<SslBundle> updates = new ArrayList<>();
		registry.addBundleUpdateHandler(SelfSignedTlsConfiguration.BUNDLE_NAME, updates::add);
		TlsProperties properties = new TlsProperties(tempDir, HOSTNAMES, VALIDITY, Duration.ofDays(30),
				Duration.ofHours(12));
		SelfSignedTlsConfiguration.Renewal renewal = new SelfSignedTlsConfiguration.Renewal(properties, registry);

		assertThat(renewal.renewIfDue()).isTrue();
		assertThat(updates).hasSize(1);
		X509Certificate served = (X509Certificate) updates.get(0).getStores().getKeyStore().getCertificate("ssl");
		assertThat(served.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(824)));
		// Renewed once: the next check finds nothing to do.
		assertThat(renewal.renewIfDue()).isFalse();
		assertThat(updates).hasSize(1);
	}

	private static void assertKeyMatchesCertificate(SelfSignedCertificate files) throws Exception {
		PrivateKey key = PemContent.of(Files.readString(files.privateKey())).getPrivateKey();
		byte[] data = "proof of possession".getBytes(StandardCharsets.UTF_8);
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(key);
		signer.update(data);
		byte[] signature = signer.sign();

		Signature verifier = Signature.getInstance("SHA256withECDSA");
		verifier.initVerify(parse(files.certificate()).getPublicKey());
		verifier.update(data);
		assertThat(verifier.verify(signature)).isTrue();
	}

	private static X509Certificate parse(Path pem) throws Exception {
		try (InputStream in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
