package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.cli.CommandRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HelpTest {
  @ParameterizedTest(name = "vigil {0} --help")
  @CsvSource(
      delimiter = '|',
      value = {
        "keygen    | --password-file | --dev-index",
        "verify    | --committee     | ATTESTATION",
        "run       | --config        | Exit codes",
        "config    | --config        | --no-file-checks",
      })
  void everyCommandExplainsItself(String command, String option1, String option2) {
    CommandRun r = Cli.run(command, "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("Usage: vigil " + command)
        .contains(option1)
        .contains(option2)
        .contains("Exit codes:");
  }

  @org.junit.jupiter.api.Test
  void theTopLevelListsTheCommands() {
    CommandRun r = Cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("keygen").contains("verify").contains("config").contains("run");
    // the developer tools run on their own classpath (./vigil devnet|chaos|bench), never the node's
    assertThat(r.out()).doesNotContain("devnet").doesNotContain("chaos").doesNotContain("bench");
  }
}
