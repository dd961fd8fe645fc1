package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  static Path clusterConfigs() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("cluster-configs"))) return p.resolve("cluster-configs");
    }
    throw new IllegalStateException("no cluster-configs/");
  }

  @Test
  void printsTheSettingsOfAUsableFile() {
    CommandRun r =
        Cli.run(
            "config",
            "--config",
            clusterConfigs().resolve("devnet/guardian-1.conf").toString(),
            "--no-file-checks");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("name         devnet-1")
        .contains("committee    0: 4 members, quorum 3")
        .contains(
            "chain        1 alpha: core 0x5FbDB2315678afecb367f032d93F642f64180aa3, finality tags")
        .contains(
            "chain        2 beta: core 0x5FbDB2315678afecb367f032d93F642f64180aa3, finality 3 confirmations")
        .contains("cluster      pekko://vigil@127.0.0.1:7102")
        .contains("usable as a file");
  }

  @Test
  void withFileChecksAMissingDevKeyIsReportedWithItsKeyPath(@TempDir Path tmp) throws IOException {
    // a copy without .devnet/keys next to it, as in a fresh clone
    Path copy = tmp.resolve("cluster-configs");
    Files.createDirectories(copy.resolve("local-7"));
    Files.copy(clusterConfigs().resolve("local-chains.conf"), copy.resolve("local-chains.conf"));
    Files.copy(clusterConfigs().resolve("dev-password.txt"), copy.resolve("dev-password.txt"));
    for (String f : new String[] {"committee.conf", "guardian-6.conf"}) {
      Files.copy(clusterConfigs().resolve("local-7/" + f), copy.resolve("local-7/" + f));
    }
    CommandRun r =
        Cli.run("config", "--config", copy.resolve("local-7/guardian-6.conf").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("vigil.node.key.file: no key file at")
        .contains("vigil keygen --out");
  }

  @Test
  void listsEveryProblemOfABadFile(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("bad.conf");
    Files.writeString(
        bad,
        """
        vigil.node {
          name = "x"
          chains.a { id = 1, rpc-urls = ["http://h:1"], core-address = "0x12" }
          htp.port = 1
        }
        """);
    CommandRun r = Cli.run("config", "--config", bad.toString(), "--no-file-checks");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("problems in the configuration")
        .contains(
            "vigil.node.chains.a.core-address: expected a 20-byte hex address, got \"0x12\" (bad.conf:3)")
        .contains("vigil.node.htp: unknown key (did you mean 'http'?)")
        .contains("vigil.node.committee.members: missing")
        .doesNotContain("at dev.vigil"); // a message, not a stack trace
  }
}
