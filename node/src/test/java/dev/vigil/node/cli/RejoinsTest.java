package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A member that keeps marking a guardian Down cannot make it spin: rejoins back off, and recover
 * after a quiet run.
 */
class RejoinsTest {
  @Test
  void rejoinsBackOffUpToTheMaximumAndStartOverAfterAStableRun() {
    RunCommand.Rejoins r =
        new RunCommand.Rejoins(
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10));
    Duration brief = Duration.ofSeconds(3);
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(4));
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(8));
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.next(brief)).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.count()).isEqualTo(6);
    assertThat(r.next(Duration.ofMinutes(11)))
        .as("after a run of 10 min or more")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(r.count()).isEqualTo(1);
  }
}
