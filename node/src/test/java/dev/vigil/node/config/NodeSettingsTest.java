package dev.vigil.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.vigil.node.observer.Finality;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.keystore.DevKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {
  @TempDir Path tmp;
  NodeFiles files;

  @BeforeEach
  void setUp() throws IOException {
    files = NodeFiles.create(tmp);
  }

  @Test
  void readsEveryFieldFromTheNodeFileItsIncludeAndTheDefaults() {
    NodeSettings s = NodeSettings.load(files.node(), NodeFiles.strict());

    assertThat(s.file()).isEqualTo(files.node().toAbsolutePath());
    assertThat(s.name()).isEqualTo("g0");
    assertThat(s.dataDir()).isEqualTo(tmp.resolve("data/g0"));
    assertThat(s.key().file()).isEqualTo(tmp.resolve("keys/g0.json"));
    assertThat(s.key().password()).isEqualTo(new PasswordSource.FromEnv(NodeFiles.PASSWORD_ENV));

    assertThat(s.committee().index()).isEqualTo(7);
    assertThat(s.committee().members())
        .containsExactly(
            DevKeys.address(0), DevKeys.address(1), DevKeys.address(2), DevKeys.address(3));
    assertThat(s.committee().quorum()).isEqualTo(3);
    assertThat(s.committee().expiryWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(s.committee().committee().index()).isEqualTo(7);

    assertThat(s.governance().chain()).isEqualTo(1);
    assertThat(s.governance().emitter()).isEqualTo(Bytes32.fromHex("00".repeat(31) + "04"));

    assertThat(s.chains()).extracting(ChainSettings::name).containsExactly("alpha", "beta");
    ChainSettings alpha = s.chain(1).orElseThrow();
    assertThat(alpha.rpcUrls())
        .containsExactly(
            URI.create("http://127.0.0.1:8545"), URI.create("http://127.0.0.1:8546/backup"));
    assertThat(alpha.coreAddress().toChecksumHex())
        .isEqualTo("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    // chain-defaults from reference.conf
    assertThat(alpha.finality()).isEqualTo(new Finality.Tags());
    assertThat(alpha.startBlock()).isZero();
    assertThat(alpha.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(alpha.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(alpha.rpcTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(alpha.maxBlockRange()).isEqualTo(1000);
    ChainSettings beta = s.chain(2).orElseThrow();
    assertThat(beta.finality()).isEqualTo(new Finality.Confirmations(5));
    assertThat(beta.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(beta.startBlock()).isEqualTo(19_000_000L);
    assertThat(beta.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(beta.rpcTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(beta.maxBlockRange()).isEqualTo(50);

    assertThat(s.cluster().systemName()).isEqualTo("vigil");
    assertThat(s.cluster().host()).isEqualTo("127.0.0.1");
    assertThat(s.cluster().port()).isEqualTo(7401);
    assertThat(s.cluster().bindHost()).isEmpty();
    assertThat(s.cluster().seedNodes())
        .containsExactly(
            new ClusterSettings.Seed("127.0.0.1", 7401),
            new ClusterSettings.Seed("127.0.0.1", 7402));
    assertThat(s.http()).isEqualTo(new HttpSettings("127.0.0.1", 7501));
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void withTlsFilesTheClusterTransportIsMutualTlsAndWithoutItIsPlainTcp() throws IOException {
    NodeSettings plain = NodeSettings.load(files.node(), NodeFiles.strict());
    assertThat(plain.cluster().tls()).isEmpty();
    assertThat(plain.actorSystemConfig().getString("pekko.remote.artery.transport"))
        .isEqualTo("tcp");
    NodeSettings tls =
        NodeSettings.load(
            files.with(
                "vigil.node.cluster.tls { key-file = keys/g0.tls.key, cert-file = keys/g0.tls.crt }"),
            NodeFiles.strict());
    assertThat(tls.cluster().tls())
        .hasValueSatisfying(
            t -> assertThat(t.keyFile()).isEqualTo(files.dir.resolve("keys/g0.tls.key")));
    assertThat(tls.actorSystemConfig().getString("pekko.remote.artery.transport"))
        .isEqualTo("tls-tcp");
  }

  @Test
  void relativePathsAreRelativeToTheNodeFileNotTheWorkingDirectory() throws IOException {
    Path sub = Files.createDirectories(tmp.resolve("elsewhere"));
    Path nested = sub.resolve("node.conf");
    Files.writeString(
        nested,
        """
        include required("../committee.conf")
        vigil.node { name = "g0", data-dir = "../data/x", key.file = "../keys/g0.json", key.password-file = "../password.txt" }
        vigil.node.cluster.port = 7401
        """);
    Path relativeToCwd = Path.of("").toAbsolutePath().relativize(nested);
    NodeSettings s = NodeSettings.load(relativeToCwd, NodeFiles.strict());
    assertThat(s.key().file()).isEqualTo(tmp.resolve("keys/g0.json"));
    assertThat(s.dataDir()).isEqualTo(tmp.resolve("data/x"));
    assertThat(s.key().password())
        .isEqualTo(new PasswordSource.FromFile(tmp.resolve("password.txt")));
  }

  @Test
  void environmentOverridesApplyWhereTheReferenceOrTheFileOffersThem() throws IOException {
    Path file = tmp.resolve("env.conf");
    Files.writeString(
        file,
        """
        include required("committee.conf")
        vigil.node { name = "g0", data-dir = "data/g0", key.file = "keys/g0.json", cluster.port = 7401 }
        vigil.node.name = ${?NODE_NAME}
        """);
    Map<String, String> env =
        Map.of(
            "VIGIL_KEY_PASSWORD",
            "pw",
            "VIGIL_HTTP_PORT",
            "9999",
            "VIGIL_CLUSTER_HOST",
            "10.1.2.3",
            "NODE_NAME",
            "from-env");
    NodeSettings s = NodeSettings.load(file, new LoadOptions(false, env));
    assertThat(s.http().port()).isEqualTo(9999);
    assertThat(s.cluster().host()).isEqualTo("10.1.2.3");
    assertThat(s.name()).isEqualTo("from-env");
    // no password source configured: VIGIL_KEY_PASSWORD is the documented default
    assertThat(s.key().password()).isEqualTo(new PasswordSource.FromEnv("VIGIL_KEY_PASSWORD"));

    NodeSettings without = NodeSettings.load(file, new LoadOptions(false, Map.of()));
    assertThat(without.http().port()).isEqualTo(7200);
    assertThat(without.name()).isEqualTo("g0");
  }

  @Test
  void anInlinePasswordWorksButWarnsAndIsNeverPrinted() throws IOException {
    Path file =
        files.with(
            "vigil.node.key.password-env = null\nvigil.node.key.password = \"hunter2-inline\"");
    NodeSettings s = NodeSettings.load(file, NodeFiles.strict());
    assertThat(s.warnings())
        .singleElement()
        .asString()
        .contains("vigil.node.key.password")
        .contains("password-env or password-file");
    assertThat(s.toString()).doesNotContain("hunter2-inline");
    assertThat(s.config().hasPath("vigil.node.key.password")).isFalse();
    assertThat(s.actorSystemConfig().root().render()).doesNotContain("hunter2-inline");
  }

  @Test
  void theConfigForOtherModulesHoldsNoEnvironmentVariables() {
    NodeSettings s = NodeSettings.load(files.node(), NodeFiles.strict());
    assertThat(s.config().hasPath(NodeFiles.PASSWORD_ENV)).isFalse();
    assertThat(s.actorSystemConfig().root().render()).doesNotContain(NodeFiles.PASSWORD);
    // but it keeps the other modules' reference defaults
    assertThat(s.config().hasPath("pekko.actor.provider")).isTrue();
  }

  @Test
  void actorSystemConfigCarriesTheClusterSettings() throws IOException {
    Path file =
        files.with(
            """
        vigil.node.cluster { system-name = "committee-7", host = "10.0.0.1", bind-host = "0.0.0.0" }
        vigil.node.cluster.seed-nodes = ["10.0.0.1:7401", "[fd00::2]:7402"]
        pekko.loglevel = "ERROR"
        pekko.remote.artery.canonical.port = 1
        vigil.consensus.batch-max-size = 7
        vigil.node.observer-dispatcher.thread-pool-executor.fixed-pool-size = 8
        """);
    NodeSettings s = NodeSettings.load(file, NodeFiles.strict());
    Config c = s.actorSystemConfig();
    assertThat(c.getString("pekko.actor.provider")).isEqualTo("cluster");
    assertThat(c.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.1");
    // vigil.node.cluster.port wins over a pekko.* key for the same thing
    assertThat(c.getInt("pekko.remote.artery.canonical.port")).isEqualTo(7401);
    assertThat(c.getString("pekko.remote.artery.bind.hostname")).isEqualTo("0.0.0.0");
    assertThat(c.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://committee-7@10.0.0.1:7401", "pekko://committee-7@[fd00::2]:7402");
    // the rest of the node file passes through to Pekko and to other modules
    assertThat(c.getString("pekko.loglevel")).isEqualTo("ERROR");
    assertThat(c.getInt("vigil.consensus.batch-max-size")).isEqualTo(7);
    // dispatcher blocks under vigil.node are Pekko's to read, not unknown keys
    assertThat(c.getInt("vigil.node.observer-dispatcher.thread-pool-executor.fixed-pool-size"))
        .isEqualTo(8);
    assertThat(c.getString("vigil.node.observer-dispatcher.type")).isEqualTo("Dispatcher");
  }

  @Test
  void onlyTheFirstSeedWaitsLongerBeforeFormingANewCluster() throws IOException {
    // the default node file is guardian 127.0.0.1:7401, the first of the seeds
    NodeSettings first = NodeSettings.load(files.with(""), NodeFiles.strict());
    assertThat(first.cluster().isFirstSeed()).isTrue();
    assertThat(first.cluster().otherSeeds())
        .extracting(ClusterSettings.Seed::toString)
        .containsExactly("127.0.0.1:7402");
    assertThat(first.actorSystemConfig().getDuration("pekko.cluster.seed-node-timeout"))
        .isEqualTo(Duration.ofSeconds(20));

    NodeSettings second =
        NodeSettings.load(files.with("vigil.node.cluster.port = 7402"), NodeFiles.strict());
    assertThat(second.cluster().isFirstSeed()).isFalse();
    assertThat(second.cluster().otherSeeds())
        .extracting(ClusterSettings.Seed::toString)
        .containsExactly("127.0.0.1:7401");
    // for the others it is the retry interval of their join: Pekko's default
    assertThat(second.actorSystemConfig().getDuration("pekko.cluster.seed-node-timeout"))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aSmallCommitteeLoadsWithAWarning() throws IOException {
    Path file =
        files.with(
            "vigil.node.committee.members = [\""
                + DevKeys.address(0)
                + "\", \""
                + DevKeys.address(1)
                + "\"]");
    NodeSettings s = NodeSettings.load(file, NodeFiles.strict());
    assertThat(s.committee().quorum()).isEqualTo(2);
    assertThat(s.warnings()).singleElement().asString().contains("tolerates no faulty");
  }

  @Test
  void withoutFileChecksAMissingKeyFileAndPasswordAreFine() throws IOException {
    Path file =
        files.with(
            "vigil.node.key.file = \"keys/not-yet.json\"\nvigil.node.key.password-env = UNSET_FOR_TEST");
    assertThat(NodeSettings.load(file, new LoadOptions(false, Map.of())).key().file())
        .isEqualTo(tmp.resolve("keys/not-yet.json"));
    assertThatThrownBy(() -> NodeSettings.load(file, new LoadOptions(true, Map.of())))
        .isInstanceOf(NodeConfigException.class)
        .satisfies(
            e ->
                assertThat(((NodeConfigException) e).problems())
                    .extracting(NodeConfigException.Problem::path)
                    .containsExactly("vigil.node.key.file", "vigil.node.key.password-env"));
  }

  @Test
  void everyMistakeInAFileIsReportedInOneException() throws IOException {
    Path file =
        files.with(
            """
        vigil.node.chains.beta.core-address = "0x12"
        vigil.node.http.prot = 80
        vigil.node.committee.members = ["%s", "%s", "%s", "%s"]
        vigil.node.cluster.port = "many"
        """
                .formatted(
                    DevKeys.address(0),
                    DevKeys.address(1),
                    DevKeys.address(2),
                    DevKeys.address(1)));
    assertThatThrownBy(() -> NodeSettings.load(file, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .isInstanceOf(com.typesafe.config.ConfigException.class)
        .satisfies(
            e -> {
              NodeConfigException n = (NodeConfigException) e;
              assertThat(n.problems())
                  .extracting(NodeConfigException.Problem::path)
                  .containsExactlyInAnyOrder(
                      "vigil.node.chains.beta.core-address",
                      "vigil.node.http.prot",
                      "vigil.node.committee.members[3]",
                      "vigil.node.cluster.port");
              assertThat(n.getMessage())
                  .startsWith(file.toAbsolutePath() + ": 4 problems in the configuration")
                  .contains(
                      "vigil.node.chains.beta.core-address: expected a 20-byte hex address, got \"0x12\" ("
                          + file.getFileName()
                          + ":")
                  .contains("vigil.node.http.prot: unknown key (did you mean 'port'?)");
            });
  }

  @Test
  void aSecretIsNotEchoedInAnError() throws IOException {
    Path file =
        files.with(
            "vigil.node.key.password-env = null\nvigil.node.key.password = [\"s3cret-in-list\"]");
    assertThatThrownBy(() -> NodeSettings.load(file, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("vigil.node.key.password: expected a string, got a list (not shown)")
        .hasMessageNotContaining("s3cret-in-list");
  }

  @Test
  void syntaxErrorsMissingIncludesAndUndefinedSubstitutionsNameFileAndLine() throws IOException {
    Path syntax = tmp.resolve("syntax.conf");
    Files.writeString(syntax, "vigil.node {\n  name = \"x\"\n  http { port = 1 \n");
    assertThatThrownBy(() -> NodeSettings.load(syntax, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("syntax.conf");

    Path include = tmp.resolve("include.conf");
    Files.writeString(include, "include required(\"nowhere.conf\")\n");
    assertThatThrownBy(() -> NodeSettings.load(include, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("nowhere.conf");

    Path subst = files.with("vigil.node.name = ${NOT_DEFINED_ANYWHERE}");
    assertThatThrownBy(() -> NodeSettings.load(subst, NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("NOT_DEFINED_ANYWHERE");

    assertThatThrownBy(() -> NodeSettings.load(tmp.resolve("absent.conf"), NodeFiles.strict()))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageContaining("absent.conf: no configuration file there");
  }

  @Test
  void passwordSourcesReadWhatTheyName() throws IOException {
    assertThat(new PasswordSource.FromEnv("X").read(Map.of("X", "pw")))
        .isEqualTo("pw".toCharArray());
    assertThatThrownBy(() -> new PasswordSource.FromEnv("X").read(Map.of()))
        .hasMessageContaining("environment variable X")
        .hasMessageContaining("not set");
    Path crlf = tmp.resolve("crlf.txt");
    Files.writeString(crlf, "pässword\r\n");
    assertThat(new PasswordSource.FromFile(crlf).read(Map.of()))
        .isEqualTo("pässword".toCharArray());
    Path twoLines = tmp.resolve("two.txt");
    Files.writeString(twoLines, "pw\n\n");
    assertThat(new PasswordSource.FromFile(twoLines).read(Map.of()))
        .isEqualTo("pw\n".toCharArray());
    Path empty = tmp.resolve("empty.txt");
    Files.writeString(empty, "\n");
    assertThatThrownBy(() -> new PasswordSource.FromFile(empty).read(Map.of()))
        .hasMessageContaining("is empty");
    assertThat(new PasswordSource.Inline("pw").toString()).doesNotContain("pw");
  }

  @Test
  void chainToStringHidesRpcPathsThatMayCarryApiKeys() {
    NodeSettings s = NodeSettings.load(files.node(), NodeFiles.strict());
    assertThat(s.toString()).contains("rpc.example.org").doesNotContain("secret-api-key");
    assertThat(s.chains())
        .extracting(ChainSettings::rpcUrls)
        .flatExtracting(List::copyOf)
        .hasSize(3);
  }
}
