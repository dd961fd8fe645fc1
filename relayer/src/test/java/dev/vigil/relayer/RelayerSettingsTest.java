package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.vigil.signing.Bytes32;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelayerSettingsTest {
  static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  static final String KEY_ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  static final URI NODE = URI.create("http://127.0.0.1:8080");
  static final Bytes32 EMITTER = Bytes32.fromHex("00".repeat(12) + "11".repeat(20));
  static final RelayerSettings.Destination B =
      new RelayerSettings.Destination(
          "chain-b", URI.create("http://127.0.0.1:8545"), 31338, "0x" + "22".repeat(20));

  static RelayerSettings valid() {
    return RelayerSettings.of(
        List.of(NODE), List.of(new RelayerSettings.Route(2, EMITTER, B)), KEY);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        row(
            "no nodes",
            () -> RelayerSettings.of(List.of(), valid().routes(), KEY),
            "nodes must name at least one"),
        row(
            "node twice",
            () ->
                RelayerSettings.of(
                    List.of(NODE, URI.create("http://127.0.0.1:8080/")), valid().routes(), KEY),
            "lists a node twice"),
        row(
            "node not http",
            () -> RelayerSettings.of(List.of(URI.create("ftp://x")), valid().routes(), KEY),
            "http(s)://host:port"),
        row(
            "node with query",
            () -> RelayerSettings.of(List.of(URI.create("http://h:1/?a=b")), valid().routes(), KEY),
            "takes no query"),
        row(
            "key too short",
            () -> RelayerSettings.of(List.of(NODE), valid().routes(), "0x1234"),
            "64 hex digits"),
        row(
            "key not hex",
            () -> RelayerSettings.of(List.of(NODE), valid().routes(), "zz".repeat(32)),
            "64 hex digits"),
        row(
            "emitter routed twice",
            () ->
                RelayerSettings.of(
                    List.of(NODE),
                    List.of(
                        new RelayerSettings.Route(2, EMITTER, B),
                        new RelayerSettings.Route(2, EMITTER, B)),
                    KEY),
            "has more than one route"),
        row(
            "one name, two destinations",
            () ->
                RelayerSettings.of(
                    List.of(NODE),
                    List.of(
                        new RelayerSettings.Route(2, EMITTER, B),
                        new RelayerSettings.Route(
                            3,
                            EMITTER,
                            new RelayerSettings.Destination(
                                "chain-b", B.rpcUrl(), 1, B.receiver()))),
                    KEY),
            "two different destinations are named chain-b"),
        row(
            "route chain out of range",
            () -> new RelayerSettings.Route(70_000, EMITTER, B),
            "emitter-chain must be 0..65535"),
        row(
            "receiver not an address",
            () -> new RelayerSettings.Destination("d", B.rpcUrl(), 1, "0x1234"),
            "receiver must be 0x and 40"),
        row(
            "rpc not http",
            () -> new RelayerSettings.Destination("d", URI.create("ws://x:1"), 1, B.receiver()),
            "rpc-url must be http"),
        row(
            "evm chain id zero",
            () -> new RelayerSettings.Destination("d", B.rpcUrl(), 0, B.receiver()),
            "evm-chain-id must be positive"),
        row(
            "blank destination name",
            () -> new RelayerSettings.Destination(" ", B.rpcUrl(), 1, B.receiver()),
            "name must not be blank"),
        row(
            "retry max below initial",
            () -> valid().withRetry(Duration.ofSeconds(2), Duration.ofSeconds(1)),
            "retry-max"),
        row(
            "retry zero",
            () -> valid().withRetry(Duration.ZERO, Duration.ofSeconds(1)),
            "retry-initial must be positive"),
        row(
            "reconnect max below initial",
            () -> valid().withReconnect(Duration.ofSeconds(2), Duration.ofSeconds(1)),
            "reconnect-max"),
        row(
            "give-up negative",
            () -> valid().withGiveUpAfter(Duration.ofSeconds(-1)),
            "give-up-after must be positive"),
        row(
            "idle timeout zero",
            () -> valid().withStreamIdleTimeout(Duration.ZERO),
            "stream-idle-timeout must be positive"),
        row(
            "rpc timeout zero",
            () -> valid().withRpcTimeout(Duration.ZERO),
            "rpc-timeout must be positive"),
        row(
            "max in flight zero",
            () -> valid().withMaxInFlight(0),
            "max-in-flight must be 1..1000000"),
        row(
            "max pending transactions zero",
            () -> valid().withMaxPendingTransactions(0),
            "max-pending-transactions must be 1..1000"),
        row(
            "max pending transactions too many",
            () -> valid().withMaxPendingTransactions(1001),
            "max-pending-transactions must be 1..1000"));
  }

  static Arguments row(String name, Supplier<Object> build, String message) {
    return Arguments.of(name, build, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusedWithAMessageNamingTheSetting(String name, Supplier<Object> build, String message) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining(KEY.substring(2, 20));
  }

  @Test
  void theKeyNeverShowsAndTheAddressDoes() {
    RelayerSettings s = valid();
    assertThat(s.senderAddress()).isEqualTo(KEY_ADDRESS);
    assertThat(s.toString())
        .contains(KEY_ADDRESS)
        .doesNotContain(KEY.substring(2, 20))
        .doesNotContain("Credentials");
    assertThatThrownBy(
            () -> RelayerSettings.of(List.of(NODE), List.of(), KEY.substring(0, 60) + "zzzz"))
        .hasMessageNotContaining(KEY.substring(2, 20))
        .hasMessageContaining("not shown");
  }

  @Test
  void nodeUrlsLoseTrailingSlashes() {
    assertThat(
            RelayerSettings.of(List.of(URI.create("http://127.0.0.1:8080/")), List.of(), KEY)
                .nodes())
        .containsExactly(NODE);
  }

  @Test
  void readsTheConfigWithDefaultsForWhatIsLeftOut() {
    RelayerSettings s =
        RelayerSettings.fromConfig(
            ConfigFactory.parseString(
                """
        vigil.node.relayer {
          nodes = ["http://127.0.0.1:8080", "http://127.0.0.1:8081/"]
          sender-key = "%s"
          destinations {
            chain-b { rpc-url = "http://127.0.0.1:8545", evm-chain-id = 31338, receiver = "0x%s" }
            "chain.c" { rpc-url = "http://127.0.0.1:8546", evm-chain-id = 31339, receiver = "0x%s" }
          }
          routes = [
            { emitter-chain = 2, emitter = "0x%s", destination = chain-b }
            { emitter-chain = 3, emitter = "%s", destination = "chain.c" }
          ]
          give-up-after = 30s
          max-in-flight = 50
          max-pending-transactions = 4
        }
        """
                    .formatted(
                        KEY, "22".repeat(20), "33".repeat(20), "11".repeat(20), "44".repeat(32))));
    assertThat(s.nodes()).containsExactly(NODE, URI.create("http://127.0.0.1:8081"));
    assertThat(s.routes())
        .containsExactly(
            new RelayerSettings.Route(2, EMITTER, B),
            new RelayerSettings.Route(
                3,
                Bytes32.fromHex("44".repeat(32)),
                new RelayerSettings.Destination(
                    "chain.c",
                    URI.create("http://127.0.0.1:8546"),
                    31339,
                    "0x" + "33".repeat(20))));
    assertThat(s.destinations())
        .extracting(RelayerSettings.Destination::name)
        .containsExactly("chain-b", "chain.c");
    assertThat(s.senderAddress()).isEqualTo(KEY_ADDRESS);
    assertThat(s.giveUpAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxInFlight()).isEqualTo(50);
    assertThat(s.maxPendingTransactions()).isEqualTo(4);
    assertThat(valid().maxPendingTransactions()).isEqualTo(16);
    assertThat(s.retryInitial()).isEqualTo(valid().retryInitial());
    assertThat(s.streamIdleTimeout()).isEqualTo(valid().streamIdleTimeout());
  }

  static Stream<Arguments> badConfig() {
    String dest =
        "destinations { b { rpc-url = \"http://127.0.0.1:8545\", evm-chain-id = 1, receiver = \"0x"
            + "22".repeat(20)
            + "\" } }";
    String base = "nodes = [\"http://127.0.0.1:8080\"], sender-key = \"" + KEY + "\", " + dest;
    return Stream.of(
        Arguments.of("", "vigil.node.relayer is missing"),
        Arguments.of("vigil.node.relayer { sender-key = \"" + KEY + "\", routes = [] }", "nodes"),
        Arguments.of(
            "vigil.node.relayer { nodes = [\"http://x:1\"], routes = [] }",
            "sender-key is missing"),
        Arguments.of(
            "vigil.node.relayer { "
                + base
                + ", routes = [{ emitter-chain = 2, emitter = \"0x12\", destination = b }] }",
            "vigil.node.relayer.routes[0].emitter must be 64 hex digits"),
        Arguments.of(
            "vigil.node.relayer { "
                + base
                + ", routes = [{ emitter-chain = 2, emitter = \""
                + "11".repeat(20)
                + "\", destination = c }] }",
            "routes[0].destination names c, which is not under vigil.node.relayer.destinations"),
        Arguments.of(
            "vigil.node.relayer { " + base + ", routes = [], retry-max = banana }", "retry-max"),
        Arguments.of(
            "vigil.node.relayer { "
                + base
                + ", routes = [], evidence { staking = \"0x"
                + "55".repeat(20)
                + "\", chain = b, pol-interval = 30s } }",
            "vigil.node.relayer.evidence.pol-interval is not a setting"),
        Arguments.of(
            "vigil.node.relayer { "
                + base
                + ", routes = [], evidence { staking = \"0x12\", chain = b } }",
            "evidence.staking must be 0x and 40 hex digits"),
        Arguments.of(
            "vigil.node.relayer { "
                + base
                + ", routes = [], evidence { staking = \"0x"
                + "55".repeat(20)
                + "\", chain = alpha } }",
            "vigil.node.relayer.evidence.chain names alpha, which is not under"),
        Arguments.of(
            "vigil.node.relayer { " + base + ", routes = [], evidence { chain = b } }",
            "vigil.node.relayer.evidence.staking is missing"),
        Arguments.of(
            "vigil.node.relayer { nodes = [\"not a url\"], sender-key = \""
                + KEY
                + "\", routes = [] }",
            "vigil.node.relayer.nodes"));
  }

  @Test
  void evidenceSubmissionIsOffByDefaultAndReadsItsBlock() {
    String base =
        "vigil.node.relayer { nodes = [\"http://127.0.0.1:8080\"], sender-key = \""
            + KEY
            + "\", destinations { b { rpc-url = \"http://127.0.0.1:8545\", evm-chain-id = 1,"
            + " receiver = \"0x"
            + "22".repeat(20)
            + "\" } }, routes = []";
    assertThat(RelayerSettings.fromConfig(ConfigFactory.parseString(base + " }")).evidence())
        .isEmpty();
    var e =
        RelayerSettings.fromConfig(
                ConfigFactory.parseString(
                    base + ", evidence { staking = \"0x" + "AB".repeat(20) + "\", chain = b } }"))
            .evidence()
            .orElseThrow();
    assertThat(e.staking()).isEqualTo("0x" + "ab".repeat(20));
    assertThat(e.chain().name()).isEqualTo("b");
    assertThat(e.pollInterval()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(e.toString()).doesNotContain(KEY.substring(2, 20));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badConfig")
  void badConfigNamesTheKey(String hocon, String message) {
    assertThatThrownBy(() -> RelayerSettings.fromConfig(ConfigFactory.parseString(hocon)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining(KEY.substring(2, 20));
  }
}
