package dev.vigil.devnet;

import dev.vigil.testing.process.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Waits for guardians to answer /readyz with 200. A guardian that is not running (it exited at
 * start, or was never started) fails the wait at once, naming it with its exit code and last log
 * lines: a devnet is ready only when every guardian is.
 */
final class Readiness {
  static final int LOG_TAIL_LINES = 20;

  private final HttpClient http;

  Readiness(HttpClient http) {
    this.http = http;
  }

  /**
   * @param guardians guardian i runs as {@code guardians.get(i)} and serves its API at {@code
   *     apis.get(i)}
   * @throws IllegalStateException naming the first guardian that exited or was not ready in time
   */
  void await(List<NodeProcess> guardians, List<URI> apis, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < guardians.size(); i++) {
      NodeProcess g = guardians.get(i);
      while (!ready(apis.get(i))) {
        if (!g.isAlive()) {
          String code =
              g.exitCode().isPresent() ? "exit code " + g.exitCode().getAsInt() : "never started";
          throw new IllegalStateException(
              "guardian "
                  + i
                  + " exited at start ("
                  + code
                  + "); last lines of "
                  + g.logFile()
                  + ":\n"
                  + g.logTail(LOG_TAIL_LINES));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "guardian "
                  + i
                  + " was not ready after "
                  + timeout.toSeconds()
                  + " s; last lines of "
                  + g.logFile()
                  + ":\n"
                  + g.logTail(LOG_TAIL_LINES));
        }
        sleep(Duration.ofMillis(250));
      }
    }
  }

  private boolean ready(URI api) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(api.resolve("/readyz"))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
