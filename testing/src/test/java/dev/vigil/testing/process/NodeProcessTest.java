package dev.vigil.testing.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that ends by itself is reported at once with its exit code and log tail; one stopped
 * here is not.
 */
class NodeProcessTest {
  @TempDir Path dir;

  @Test
  void aProcessThatExitsByItselfIsReportedWithItsExitCodeAndLastLogLines() throws Exception {
    NodeProcess p =
        NodeProcess.ofCommand(
            "guardian-2",
            List.of("sh", "-c", "echo starting; echo 'Address already in use'; exit 3"),
            dir.resolve("guardian-2.log"));
    LinkedBlockingQueue<NodeProcess.Exit> exits = new LinkedBlockingQueue<>();
    p.onUnexpectedExit(exits::add);
    p.start();

    NodeProcess.Exit exit = exits.poll(30, TimeUnit.SECONDS);
    assertThat(exit).isNotNull();
    assertThat(exit.name()).isEqualTo("guardian-2");
    assertThat(exit.exitCode()).isEqualTo(3);
    assertThat(exit.logTail()).isEqualTo("starting\nAddress already in use");
    assertThat(exit.describe())
        .startsWith("guardian-2 (pid ")
        .contains("exited by itself with exit code 3")
        .endsWith("Address already in use");
    assertThat(p.exitCode()).hasValue(3);
    assertThat(exits.poll(1, TimeUnit.SECONDS)).as("reported once").isNull();
  }

  @Test
  void aProcessKilledOrStoppedHereIsNotReported() throws Exception {
    NodeProcess p =
        NodeProcess.ofCommand("guardian-0", List.of("sleep", "60"), dir.resolve("guardian-0.log"));
    LinkedBlockingQueue<NodeProcess.Exit> exits = new LinkedBlockingQueue<>();
    p.onUnexpectedExit(exits::add);
    p.start();
    p.kill();
    p.start();
    p.stop(Duration.ofSeconds(5));
    assertThat(exits.poll(2, TimeUnit.SECONDS)).isNull();
    assertThat(p.isAlive()).isFalse();
  }
}
