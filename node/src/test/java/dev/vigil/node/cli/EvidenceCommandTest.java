package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil evidence submit}'s refusals before anything is sent: each names what was wrong and
 * never shows key material. (Submissions on a chain: EquivocationSlashingIT in the relayer module.)
 */
class EvidenceCommandTest {
  static final String KEY = "ab".repeat(32);

  @Test
  void aStakingAddressThatIsNoAddressIsNamed() {
    var run =
        Cli.run(
            Map.of("REPORTER_KEY", KEY),
            Cli.noTerminal(),
            "evidence",
            "submit",
            "--rpc",
            "http://127.0.0.1:1",
            "--staking",
            "0x12",
            "--key-env",
            "REPORTER_KEY");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--staking must be 0x and 40 hex digits, got 0x12");
  }

  @Test
  void aKeyVariableThatIsUnsetOrNotAKeyIsNamedWithoutItsValue() {
    String staking = "0x" + "11".repeat(20);
    var unset =
        Cli.run(
            "evidence",
            "submit",
            "--rpc",
            "http://127.0.0.1:1",
            "--staking",
            staking,
            "--key-env",
            "REPORTER_KEY");
    assertThat(unset.exit()).isEqualTo(2);
    assertThat(unset.err()).contains("environment variable REPORTER_KEY is not set");
    var typo =
        Cli.run(
            Map.of("REPORTER_KEY", KEY + "0"),
            Cli.noTerminal(),
            "evidence",
            "submit",
            "--rpc",
            "http://127.0.0.1:1",
            "--staking",
            staking,
            "--key-env",
            "REPORTER_KEY");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("does not hold 64 hex digits").doesNotContain(KEY);
  }

  @Test
  void aNodeThatServesNoEvidenceIsNamedAndFails() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/evidence",
        x -> {
          byte[] b = "{\"error\":\"nope\"}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    server.start();
    try {
      var run =
          Cli.run(
              Map.of("REPORTER_KEY", KEY),
              Cli.noTerminal(),
              "evidence",
              "submit",
              "--api",
              "http://127.0.0.1:" + server.getAddress().getPort(),
              "--rpc",
              "http://127.0.0.1:1",
              "--staking",
              "0x" + "11".repeat(20),
              "--key-env",
              "REPORTER_KEY");
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).contains("did not answer with evidence: no \"evidence\" array");
      assertThat(run.out() + run.err()).doesNotContain(KEY);
    } finally {
      server.stop(0);
    }
  }
}
