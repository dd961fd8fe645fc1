package dev.vigil.devnet.chaos;

import dev.vigil.devnet.Devnet;
import dev.vigil.signing.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The messages published inside a phase. A phase that must show something (a stall, liveness while
 * cut off) is lengthened, while traffic keeps flowing, until at least {@link #MIN_MESSAGES} fall in
 * it, for at most {@code bound}: on a slow machine a phase may otherwise hold no message at all,
 * and an invariant about it would be neither shown nor refuted.
 */
final class PhaseWindow {
  static final int MIN_MESSAGES = 3;

  /**
   * A signature in flight when a fault begins may still complete a quorum for a message published
   * just before it.
   */
  static final long GRACE_NANOS = Duration.ofSeconds(3).toNanos();

  /**
   * @param extendedMs how much longer the phase ran than planned to get its messages
   */
  record Messages(List<MessageId> ids, long extendedMs) {
    boolean exercised() {
      return ids.size() >= MIN_MESSAGES;
    }

    /** " (lengthened by 12.0s to get messages into it)", or "". */
    String lengthened() {
      return extendedMs > 0
          ? String.format(" (lengthened by %.1fs to get messages into it)", extendedMs / 1000.0)
          : "";
    }
  }

  private PhaseWindow() {}

  /**
   * Waits (bounded) until at least {@link #MIN_MESSAGES} messages were published after {@code
   * fromNanos} and more than {@code marginNanos} before now; returns them.
   */
  static Messages await(
      Devnet devnet, ChaosLog log, String phase, long fromNanos, long marginNanos, Duration bound) {
    return await(devnet::publishTimes, log, phase, fromNanos, marginNanos, bound);
  }

  /**
   * @param publishTimes when each message published so far was published (System.nanoTime)
   */
  static Messages await(
      Supplier<Map<MessageId, Long>> publishTimes,
      ChaosLog log,
      String phase,
      long fromNanos,
      long marginNanos,
      Duration bound) {
    long t0 = System.nanoTime();
    long deadline = t0 + bound.toNanos();
    boolean said = false;
    while (true) {
      long now = System.nanoTime();
      List<MessageId> ids = publishedBetween(publishTimes.get(), fromNanos, now - marginNanos);
      if (ids.size() >= MIN_MESSAGES || now >= deadline)
        return new Messages(ids, (now - t0) / 1_000_000);
      if (!said) {
        log.say(
            "%s: %d messages published in it so far, needs %d; lengthening it by up to %ds",
            phase, ids.size(), MIN_MESSAGES, bound.toSeconds());
        said = true;
      }
      Chaos.sleep(Math.min(1_000, Math.max(1, (deadline - now) / 1_000_000)));
    }
  }

  /** Messages published in (from, to), System.nanoTime. */
  static List<MessageId> publishedBetween(Map<MessageId, Long> publishTimes, long from, long to) {
    return publishTimes.entrySet().stream()
        .filter(e -> e.getValue() > from && e.getValue() < to)
        .map(Map.Entry::getKey)
        .toList();
  }
}
