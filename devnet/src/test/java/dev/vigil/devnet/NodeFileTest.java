package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.node.config.ChainSettings;
import dev.vigil.node.config.ClusterSettings;
import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.observer.Finality;
import dev.vigil.signing.Address;
import dev.vigil.signing.keystore.DevKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet guardian's node file, rendered from typed fields, reads back through the node's own
 * loader with every value in place.
 */
class NodeFileTest {
  @TempDir Path dir;

  private final List<Address> committee = IntStream.range(0, 4).mapToObj(DevKeys::address).toList();

  @Test
  void aGuardianBehindLinkProxiesReadsBackWithItsChainsClusterAndHttpPort() {
    NodeFile file =
        new NodeFile(
            2,
            dir.resolve("data/guardian-2"),
            dir.resolve("keys/guardian-2.json"),
            dir.resolve("password.txt"),
            committee,
            List.of(
                new NodeFile.Chain(
                    "alpha",
                    1,
                    "http://127.0.0.1:23001",
                    "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    0),
                new NodeFile.Chain(
                    "beta",
                    2,
                    "http://127.0.0.1:23002",
                    "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    2)),
            new NodeFile.Cluster(
                "guardian-2",
                24002,
                "127.0.0.1",
                List.of(
                    "guardian-0:24000",
                    "guardian-1:24001",
                    "guardian-2:24002",
                    "guardian-3:24003")),
            25002,
            "198.18.7.12");
    Path conf = dir.resolve("guardian-2.conf");
    file.write(conf);

    NodeSettings s = NodeSettings.load(conf, LoadOptions.withoutFileChecks());

    assertThat(s.name()).isEqualTo("devnet-2");
    assertThat(s.dataDir()).isEqualTo(dir.resolve("data/guardian-2"));
    assertThat(s.committee().members()).containsExactlyElementsOf(committee);
    assertThat(s.chains()).extracting(ChainSettings::id).containsExactly(1, 2);
    assertThat(s.chain(1).orElseThrow().rpcUrls())
        .containsExactly(URI.create("http://127.0.0.1:23001"));
    assertThat(s.chain(1).orElseThrow().finality()).isEqualTo(new Finality.Tags());
    assertThat(s.chain(2).orElseThrow().finality()).isEqualTo(new Finality.Confirmations(2));
    assertThat(s.chain(2).orElseThrow().pollInterval()).isEqualTo(Duration.ofMillis(250));
    ClusterSettings c = s.cluster();
    assertThat(c.host()).isEqualTo("guardian-2");
    assertThat(c.port()).isEqualTo(24002);
    assertThat(c.bindHost()).isEqualTo(Optional.of("127.0.0.1"));
    assertThat(c.seedNodes())
        .extracting(Object::toString)
        .containsExactly(
            "guardian-0:24000", "guardian-1:24001", "guardian-2:24002", "guardian-3:24003");
    assertThat(s.http().port()).isEqualTo(25002);
    assertThat(s.http().host())
        .as("its own host's address, in a namespace")
        .isEqualTo("198.18.7.12");
    assertThat(s.config().getString("vigil.consensus.retry-max")).isEqualTo("5s");
  }

  @Test
  void aGuardianWithoutProxiesHasNoBindHost() {
    NodeFile file =
        new NodeFile(
            0,
            dir.resolve("data"),
            dir.resolve("key.json"),
            dir.resolve("pw"),
            committee,
            List.of(
                new NodeFile.Chain(
                    "alpha",
                    1,
                    "http://127.0.0.1:8545",
                    "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    0)),
            new NodeFile.Cluster("127.0.0.1", 7101, null, List.of("127.0.0.1:7101")),
            7201,
            "127.0.0.1");

    assertThat(file.render()).doesNotContain("bind-host");
  }

  @Test
  void pathsWithQuotesAndBackslashesAreQuotedOnce() {
    Path odd = dir.resolve("a \"quoted\" dir\\x");
    NodeFile file =
        new NodeFile(
            1,
            odd,
            dir.resolve("key.json"),
            dir.resolve("pw"),
            committee,
            List.of(
                new NodeFile.Chain(
                    "alpha",
                    1,
                    "http://127.0.0.1:8545",
                    "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    0)),
            new NodeFile.Cluster("127.0.0.1", 7101, null, List.of("127.0.0.1:7101")),
            7201,
            "127.0.0.1");
    Path conf = dir.resolve("g.conf");
    file.write(conf);

    assertThat(NodeSettings.load(conf, LoadOptions.withoutFileChecks()).dataDir()).isEqualTo(odd);
  }
}
