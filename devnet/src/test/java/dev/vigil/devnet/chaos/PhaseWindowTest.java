package dev.vigil.devnet.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A phase that must show something runs on until messages fall in it, and no longer than its bound.
 */
class PhaseWindowTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ChaosLog log = new ChaosLog(new PrintStream(printed, true, StandardCharsets.UTF_8));
  private final Map<MessageId, Long> published = new ConcurrentHashMap<>();

  @Test
  void aPhaseWithEnoughMessagesEndsAtOnceUnlengthened() {
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) publish(i, start + i);

    PhaseWindow.Messages m =
        PhaseWindow.await(() -> published, log, "split", start - 1, 0, Duration.ofSeconds(30));

    assertThat(m.ids()).hasSize(5);
    assertThat(m.exercised()).isTrue();
    assertThat(m.lengthened()).isEmpty();
  }

  @Test
  void aPhaseWithoutMessagesIsLengthenedUntilTrafficPutsSomeInIt() {
    long start = System.nanoTime();
    publish(0, start - 1); // before the phase: does not count
    Thread.ofVirtual()
        .start(
            () -> {
              for (int i = 1; i <= 3; i++) {
                Chaos.sleep(300);
                publish(i, System.nanoTime());
              }
            });

    PhaseWindow.Messages m =
        PhaseWindow.await(() -> published, log, "quorum loss", start, 0, Duration.ofSeconds(30));

    assertThat(m.ids()).hasSize(3);
    assertThat(m.exercised()).isTrue();
    assertThat(m.extendedMs()).isPositive().isLessThan(30_000);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("quorum loss: 0 messages published in it so far, needs 3; lengthening it");
  }

  @Test
  void aPhaseThatNeverGetsMessagesEndsAtItsBoundUnexercised() {
    long start = System.nanoTime();

    PhaseWindow.Messages m =
        PhaseWindow.await(() -> published, log, "split", start, 0, Duration.ofMillis(1_500));

    assertThat(m.ids()).isEmpty();
    assertThat(m.exercised()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void messagesInsideTheMarginBeforeNowDoNotCount() {
    long now = System.nanoTime();
    for (int i = 0; i < 5; i++) publish(i, now);

    PhaseWindow.Messages m =
        PhaseWindow.await(
            () -> published,
            log,
            "partition",
            now - 1,
            Duration.ofHours(1).toNanos(),
            Duration.ofMillis(500));

    assertThat(m.ids()).isEmpty();
  }

  private void publish(int sequence, long atNanos) {
    published.put(new MessageId(1, Bytes32.ZERO, sequence), atNanos);
  }
}
