package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private List<Readiness.Outcome> evaluate(Readiness r) {
    return r.evaluate(executor, Duration.ofSeconds(2)).toCompletableFuture().join();
  }

  @Test
  void outcomesKeepRegistrationOrderAndDetail() {
    Readiness r =
        Readiness.builder()
            .check("b", () -> Readiness.Result.ready("fine"))
            .check("a", () -> Readiness.Result.notReady("down since 12:00"))
            .build();
    assertThat(r.names()).containsExactly("b", "a");
    assertThat(evaluate(r))
        .containsExactly(
            new Readiness.Outcome("b", true, "fine"),
            new Readiness.Outcome("a", false, "down since 12:00"));
  }

  @Test
  void aCheckThatThrowsOrAnswersNothingFails() {
    Readiness r =
        Readiness.builder()
            .check(
                "throws",
                () -> {
                  throw new IllegalStateException("observer stopped");
                })
            .check("null", () -> null)
            .check(
                "bare",
                () -> {
                  throw new java.util.concurrent.TimeoutException();
                })
            .build();
    assertThat(evaluate(r))
        .containsExactly(
            new Readiness.Outcome("throws", false, "observer stopped"),
            new Readiness.Outcome("null", false, "the check returned no result"),
            new Readiness.Outcome("bare", false, "TimeoutException"));
  }

  @Test
  void noChecksMeansReady() {
    assertThat(evaluate(Readiness.builder().build())).isEmpty();
  }

  @Test
  void aNameIsRegisteredOnce() {
    Readiness.Builder b = Readiness.builder().check("cluster", () -> Readiness.Result.ready("up"));
    assertThatThrownBy(() -> b.check("cluster", () -> Readiness.Result.ready("up")))
        .hasMessage("readiness check 'cluster' is registered twice");
  }
}
