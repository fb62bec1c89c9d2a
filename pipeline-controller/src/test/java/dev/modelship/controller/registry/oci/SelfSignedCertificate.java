package dev.modelship.controller.registry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate for 127.0.0.1, made with the JDK's keytool (no other tool needed), as PEM files for a
 * test server and as an {@link SSLContext} that trusts exactly it.
 */
record SelfSignedCertificate(Path certificateFile, Path keyFile, KeyStore keyStore) {
  private static final String ALIAS = "registry";
  private static final char[] STORE_PASSWORD = "modelship-test".toCharArray();

  static SelfSignedCertificate create(Path folder) throws IOException {
    Files.createDirectories(folder);
    Path store = folder.resolve("registry.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    DistributionRegistry.run(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "7", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD),
        "-keypass", new String(STORE_PASSWORD));
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD);
      Certificate certificate = keyStore.getCertificate(ALIAS);
      Key key = keyStore.getKey(ALIAS, STORE_PASSWORD);
      Path certificateFile = Files.writeString(folder.resolve("cert.pem"), pem("CERTIFICATE",
          certificate.getEncoded()));
      Path keyFile = Files.writeString(folder.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
      return new SelfSignedCertificate(certificateFile, keyFile, keyStore);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate keytool made: " + e.getMessage(), e);
    }
  }

  /** TLS that trusts this certificate only. */
  SSLContext trustingContext() throws IOException {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry(ALIAS, keyStore.getCertificate(ALIAS));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS trusting the test certificate: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
