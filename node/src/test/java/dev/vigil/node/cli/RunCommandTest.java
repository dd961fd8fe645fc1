package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.node.config.NodeFiles;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.testing.cli.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;

  @Test
  void aPublicDevKeyIsRefusedUnlessTheUnsafeFlagIsGiven() throws Exception {
    NodeFiles files = NodeFiles.create(dir); // guardian 0's key file holds dev key 0
    CommandRun r =
        Cli.run(NodeFiles.env(), Cli.noTerminal(), "run", "--config", files.node().toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("vigil.node.key.file")
        .contains("public dev key " + DevKeys.address(0).toChecksumHex())
        .contains("--unsafe-allow-dev-keys");
  }

  @Test
  void theDevKeysAreRecognisedAndOthersAreNot() {
    assertThat(DevKeys.isDevKey(DevKeys.address(0))).isTrue();
    assertThat(DevKeys.isDevKey(DevKeys.address(DevKeys.MAX_INDEX))).isTrue();
    assertThat(DevKeys.isDevKey(dev.vigil.signing.testing.TestKeys.signer(1).address())).isFalse();
  }
}
