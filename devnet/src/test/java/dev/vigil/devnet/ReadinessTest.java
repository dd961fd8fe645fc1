package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.process.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet is ready only when every guardian is: one that exited at start fails the wait, named,
 * with its exit code and log tail.
 */
class ReadinessTest {
  @TempDir Path dir;

  @Test
  void aGuardianThatExitsAtStartFailsTheStartNamingItWithItsExitCodeAndLastLogLines()
      throws Exception {
    NodeProcess crashing =
        NodeProcess.ofCommand(
            "guardian-1",
            List.of(
                "sh",
                "-c",
                "echo 'Failed to bind TCP to [127.0.0.1:33357]'; echo 'Address already in use'; exit 7"),
            dir.resolve("guardian-1.log"));
    crashing.start();
    while (crashing.isAlive()) Thread.sleep(50);

    try (HttpClient http = HttpClient.newHttpClient()) {
      // nothing listens on port 9 of loopback: guardian 1 never answers /readyz
      assertThatThrownBy(
              () ->
                  new Readiness(http)
                      .await(
                          List.of(crashing),
                          List.of(URI.create("http://127.0.0.1:9")),
                          Duration.ofMinutes(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("guardian 0 exited at start (exit code 7)")
          .hasMessageContaining("guardian-1.log")
          .hasMessageEndingWith("Failed to bind TCP to [127.0.0.1:33357]\nAddress already in use");
    }
  }

  @Test
  void aGuardianThatNeverAnswersFailsTheWaitAtItsTimeout() throws Exception {
    NodeProcess silent =
        NodeProcess.ofCommand(
            "guardian-0",
            List.of("sh", "-c", "echo waiting; sleep 60"),
            dir.resolve("guardian-0.log"));
    silent.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThatThrownBy(
              () ->
                  new Readiness(http)
                      .await(
                          List.of(silent),
                          List.of(URI.create("http://127.0.0.1:9")),
                          Duration.ofSeconds(1)))
          .hasMessageStartingWith("guardian 0 was not ready after 1 s")
          .hasMessageEndingWith("waiting");
    } finally {
      silent.kill();
    }
  }
}
