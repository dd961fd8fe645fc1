package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relayer reads guardian APIs over HTTPS with a self-signed certificate it was told to trust
 * (trusted-certificates): that certificate is pinned, without a certificate authority or a host
 * name in it; a server with any other certificate fails the handshake.
 */
class HttpsStreamsTest {
  @TempDir Path dir;
  HttpsServer server;
  Path serverCert;

  /** A self-signed EC certificate made by the JDK's keytool: its PKCS#12 store and its PEM. */
  static Path keytool(Path dir, String name) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve(name + ".p12");
    run(
        keytool.toString(),
        "-genkeypair",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-alias",
        "api",
        "-dname",
        "CN=guardian " + name,
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    run(
        keytool.toString(),
        "-exportcert",
        "-rfc",
        "-alias",
        "api",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-file",
        dir.resolve(name + ".crt").toString());
    return store;
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  @BeforeEach
  void start() throws Exception {
    Path store = keytool(dir, "api");
    serverCert = dir.resolve("api.crt");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/v1/attestations/stream",
        ex -> {
          byte[] body = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  URI stream() {
    return URI.create(
        "https://127.0.0.1:" + server.getAddress().getPort() + "/v1/attestations/stream");
  }

  HttpResponse<String> get(RelayerSettings s) throws IOException, InterruptedException {
    return Relayer.streamClient(s)
        .send(
            HttpRequest.newBuilder(stream()).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPinnedSelfSignedCertificateIsTrustedAndNothingElse() throws Exception {
    RelayerSettings base = RelayerSettingsTest.valid();
    HttpResponse<String> r = get(base.withTrustedCertificates(List.of(serverCert)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("keep-alive");

    assertThatThrownBy(() -> get(base))
        .as("without the pin, the JDK's authorities do not know it")
        .isInstanceOf(SSLHandshakeException.class);

    keytool(dir, "other");
    assertThatThrownBy(() -> get(base.withTrustedCertificates(List.of(dir.resolve("other.crt")))))
        .isInstanceOf(SSLHandshakeException.class)
        .hasStackTraceContaining("is not one of the relayer's trusted-certificates");
  }

  @Test
  void trustedCertificatesAreReadFromTheSettingsAndABadFileIsNamed() throws IOException {
    RelayerSettings s =
        RelayerSettings.fromConfig(
            ConfigFactory.parseString(
                """
        vigil.node.relayer {
          nodes = ["https://127.0.0.1:8443"]
          sender-key = "%s"
          routes = []
          trusted-certificates = ["%s"]
        }
        """
                    .formatted(RelayerSettingsTest.KEY, serverCert)));
    assertThat(s.trustedCertificates()).containsExactly(serverCert);

    Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate");
    assertThatThrownBy(
            () ->
                Relayer.streamClient(
                    RelayerSettingsTest.valid().withTrustedCertificates(List.of(junk))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted certificate " + junk);
  }
}
