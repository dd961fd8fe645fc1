package dev.vigil.devnet.cli;

import dev.vigil.testing.cli.CommandRun;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options are refused with a usage error that names the option, before anything is started. */
class ChaosCommandTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--nodes, 3, --nodes must be at least 4",
    "--duration, 10s, --duration must be at least 30s",
    "--duration, soon, --duration: expected a number with s, m or h",
    "--settle, later, --settle: expected a number with s, m or h",
    "--settle, 0s, --settle must be positive",
    "--rate, 0, --rate must be in (0, 100]",
    "--disk-size, 16, --disk-size must be 0 (off) or >= 32 MiB",
    "--disk-size, -1, --disk-size must be 0 (off) or >= 32 MiB",
  })
  void refusesABadOption(String option, String value, String message) {
    CommandRun r = CommandRun.of(DevnetTools.commandLine(), "chaos", option, value);
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }
}
