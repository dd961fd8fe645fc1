package dev.vigil.devnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.devnet.DevnetOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The wide-area options as an operator types them, and the errors a typo gets. */
class DevnetCommandTest {
  @Test
  void wideAreaOptionsParseOverTheDefaults() {
    assertThat(DevnetCommand.wideArea(null, null)).isEqualTo(DevnetOptions.WideArea.DEFAULT);
    DevnetOptions.WideArea w = DevnetCommand.wideArea("20ms-40ms", "0.5%");
    assertThat(w.minDelay()).isEqualTo(Duration.ofMillis(20));
    assertThat(w.maxDelay()).isEqualTo(Duration.ofMillis(40));
    assertThat(w.loss()).isEqualTo(0.005);
    assertThat(DevnetCommand.wideArea(null, "0").loss()).isZero();
  }

  @Test
  void aWrongWideAreaOptionIsNamedWithWhatWasExpected() {
    assertThatThrownBy(() -> DevnetCommand.wideArea("100ms", null))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--wan-delay: expected MIN-MAX such as 50ms-150ms, got '100ms'");
    assertThatThrownBy(() -> DevnetCommand.wideArea("150ms-50ms", null))
        .hasMessageContaining("wide-area delay must be 0 <= min <= max");
    assertThatThrownBy(() -> DevnetCommand.wideArea(null, "lots"))
        .hasMessageContaining("--wan-loss: expected a percentage such as 1% or 0.5, got 'lots'");
    assertThatThrownBy(() -> DevnetCommand.wideArea(null, "100%"))
        .hasMessageContaining("wide-area loss must be in [0, 1)");
  }

  @Test
  void namespacesAndWideAreaPutTheLinksThroughProxies() {
    DevnetOptions o = DevnetOptions.defaults(java.nio.file.Path.of("/tmp/x"), System.out);
    assertThat(o.withNetns(true).linkProxies()).isTrue();
    assertThat(o.withWan(DevnetOptions.WideArea.DEFAULT).linkProxies()).isTrue();
    assertThat(o.linkProxies()).isFalse();
    assertThatThrownBy(() -> o.withNodes(16).withNetns(true))
        .hasMessageContaining("--netns runs at most 15 guardians, got 16");
  }
}
