package dev.cloudref.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 TLS server certificate (RFC 5280) kept as two PEM files,
 * {@value #CERTIFICATE_FILE} and {@value #PRIVATE_KEY_FILE} (owner-only), and reused
 * across starts so that clients keep trusting it, until it nears its expiry.
 */
public final class SelfSignedCertificate {

	/** File name of the public certificate. */
	public static final String CERTIFICATE_FILE = "gateway.crt";

	/** File name of the private key. */
	public static final String PRIVATE_KEY_FILE = "gateway.key";

	private final Path certificate;

	private final Path privateKey;

	private SelfSignedCertificate(Path dir) {
		this.certificate = dir.resolve(CERTIFICATE_FILE);
		this.privateKey = dir.resolve(PRIVATE_KEY_FILE);
	}

	/**
	 * Returns the certificate in {@code dir}, creating it (and the directory) first if
	 * either file is missing or the certificate has expired.
	 * @param dir the directory
	 * @param hostnames DNS names and IP literals for the subject alternative names; the
	 * first is also the common name
	 * @param validity validity of a newly created certificate
	 * @return the certificate's files
	 * @throws UncheckedIOException if the files cannot be read or written
	 * @throws IllegalStateException if the JDK cannot create an EC key or sign
	 */
	public static SelfSignedCertificate loadOrCreate(Path dir, List<String> hostnames, Duration validity) {
		return loadOrCreate(dir, hostnames, validity, Duration.ZERO);
	}

	/**
	 * Returns the certificate in {@code dir}, creating a new key pair and certificate
	 * first if either file is missing or the certificate expires within
	 * {@code renewBefore}.
	 * @param dir the directory
	 * @param hostnames DNS names and IP literals for the subject alternative names; the
	 * first is also the common name
	 * @param validity validity of a newly created certificate
	 * @param renewBefore how long before its expiry a certificate is replaced
	 * @return the certificate's files
	 * @throws UncheckedIOException if the files cannot be read or written
	 * @throws IllegalStateException if the JDK cannot create an EC key or sign, or the
	 * existing certificate cannot be parsed
	 */
	public static SelfSignedCertificate loadOrCreate(Path dir, List<String> hostnames, Duration validity,
			Duration renewBefore) {
		SelfSignedCertificate files = in(dir);
		files.renewIfExpiresWithin(renewBefore, hostnames, validity);
		return files;
	}

	/**
	 * @param dir the directory
	 * @return the certificate's files in {@code dir}, which need not exist (nothing is
	 * read or written)
	 */
	public static SelfSignedCertificate in(Path dir) {
		return new SelfSignedCertificate(dir.toAbsolutePath());
	}

	/**
	 * Replaces the key pair and certificate with new ones if either file is missing or
	 * the certificate expires within {@code renewBefore} (or has expired). The private
	 * key is written first, the certificate last.
	 * @param renewBefore how long before its expiry the certificate is replaced
	 * @param hostnames names of a new certificate
	 * @param validity validity of a new certificate
	 * @return whether the files were replaced
	 * @throws UncheckedIOException if the files cannot be read or written
	 * @throws IllegalStateException if the certificate cannot be parsed, or a new one not
	 * created
	 */
	public boolean renewIfExpiresWithin(Duration renewBefore, List<String> hostnames, Duration validity) {
		boolean present = Files.isRegularFile(certificate) && Files.isRegularFile(privateKey);
		if (present && notAfter().minus(renewBefore).isAfter(Instant.now())) {
			return false;
		}
		create(hostnames, validity);
		return true;
	}

	/**
	 * @return the end of the certificate's validity
	 * @throws UncheckedIOException if the file cannot be read
	 * @throws IllegalStateException if it holds no X.509 certificate
	 */
	public Instant notAfter() {
		try (InputStream in = Files.newInputStream(certificate)) {
			X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
			return cert.getNotAfter().toInstant();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + certificate, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No X.509 certificate in " + certificate, ex);
		}
	}

	/**
	 * @return path of the PEM certificate
	 */
	public Path certificate() {
		return certificate;
	}

	/**
	 * @return path of the PEM private key
	 */
	public Path privateKey() {
		return privateKey;
	}

	private void create(List<String> hostnames, Duration validity) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
			KeyPair keyPair = generator.generateKeyPair();
			X509Certificate cert = sign(keyPair, hostnames, validity);
			Files.createDirectories(certificate.getParent());
			writePrivateKey(pem(keyPair.getPrivate()));
			Files.writeString(certificate, pem(cert));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the self-signed certificate to " + certificate.getParent(),
					ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot create a self-signed certificate", ex);
		}
	}

	private static X509Certificate sign(KeyPair keyPair, List<String> hostnames, Duration validity)
			throws GeneralSecurityException, OperatorCreationException, IOException {
		Instant now = Instant.now();
		X500Name subject = new X500Name("CN=" + hostnames.get(0) + ",O=cloudref self-signed");
		GeneralName[] names = hostnames.stream().map(SelfSignedCertificate::generalName).toArray(GeneralName[]::new);
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
				new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
				Date.from(now.plus(validity)), subject, keyPair.getPublic());
		builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
	}

	private static GeneralName generalName(String hostname) {
		boolean ipLiteral = hostname.contains(":") || hostname.matches("\\d{1,3}(\\.\\d{1,3}){3}");
		return new GeneralName(ipLiteral ? GeneralName.iPAddress : GeneralName.dNSName, hostname);
	}

	/** PEM text of a certificate, or of a private key in PKCS#8 form (RFC 5208). */
	private static String pem(Object object) throws IOException {
		Object pemObject = (object instanceof PrivateKey key) ? new JcaPKCS8Generator(key, null).generate() : object;
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(pemObject);
		}
		return out.toString();
	}

	private void writePrivateKey(String pem) throws IOException {
		Files.deleteIfExists(privateKey);
		try {
			Files.createFile(privateKey,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException notPosix) {
			Files.createFile(privateKey);
		}
		Files.writeString(privateKey, pem, StandardOpenOption.TRUNCATE_EXISTING);
	}

}
