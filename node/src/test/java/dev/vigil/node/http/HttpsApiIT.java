package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.node.transport.GuardianCertificates;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.keystore.DevKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS (vigil.node.http.tls) with the guardian's own TLS key and certificate: a
 * client that trusts that certificate reads it; one that does not fails the handshake; plain HTTP
 * to the port gets no answer.
 */
class HttpsApiIT {
  @TempDir Path dir;

  static TlsIdentity identity() {
    KeyPair tls = GuardianCertificates.newTlsKeyPair();
    PrivateKey key = DevKeys.key(0);
    try {
      return new TlsIdentity(
          tls.getPrivate(),
          GuardianCertificates.issue(
              tls,
              new LocalKeySigner(key, Secp256k1Backends.preferred()),
              Instant.now(),
              Duration.ofDays(1)));
    } finally {
      key.destroy();
    }
  }

  /** A client context trusting exactly {@code id}'s certificate. */
  static SSLContext trusting(TlsIdentity id) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("api", id.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  static String get(SSLContext client, ApiFixture api, String path) throws IOException {
    try (SSLSocket s =
        (SSLSocket)
            client
                .getSocketFactory()
                .createSocket(api.api.address().getAddress(), api.api.address().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theApiServesHttpsToAClientThatTrustsItsCertificateOnly() throws Exception {
    TlsIdentity id = identity();
    ApiFixture.Options o = new ApiFixture.Options();
    o.https = Optional.of(id.serverContext());
    try (ApiFixture api = new ApiFixture(dir, o)) {
      assertThat(api.api.uri().getScheme()).isEqualTo("https");
      assertThat(get(trusting(id), api, "/v1/committee"))
          .startsWith("HTTP/1.1 200 OK")
          .contains("\"quorum\"");

      SSLContext other = trusting(identity()); // another certificate
      assertThatThrownBy(() -> get(other, api, "/v1/committee"))
          .isInstanceOf(SSLHandshakeException.class);

      try (java.net.Socket plain =
          new java.net.Socket(api.api.address().getAddress(), api.api.address().getPort())) {
        plain.setSoTimeout(10_000);
        plain
            .getOutputStream()
            .write(
                "GET /v1/committee HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        byte[] answer = plain.getInputStream().readNBytes(12);
        assertThat(new String(answer, StandardCharsets.ISO_8859_1))
            .as("plain HTTP gets no HTTP answer")
            .doesNotStartWith("HTTP/1.1 200");
      }
    }
  }
}
