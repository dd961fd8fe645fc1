package dev.vigil.relayer;

import java.util.TreeSet;

/**
 * How far one emitter's attestations have been received, to resume a stream after it broke: every
 * sequence below {@link #next()} has been received. Attestations may come out of sequence order
 * (quorums form in parallel), so the ones above the first gap are remembered; a gap older than
 * {@code window} sequences behind the highest one is given up on, so that a message that never gets
 * attested does not make every reconnection replay all that came after it.
 */
final class EmitterProgress {
  private final long window;
  private long next;
  private long highest = -1;
  private final TreeSet<Long> above = new TreeSet<>();

  EmitterProgress(long start, long window) {
    this.next = start;
    this.window = window;
  }

  synchronized void received(long sequence) {
    if (sequence < next) return;
    highest = Math.max(highest, sequence);
    above.add(sequence);
    while (above.remove(next)) next++;
    if (highest - next >= window) {
      next = highest - window + 1;
      above.headSet(next).clear();
      while (above.remove(next)) next++;
    }
  }

  /** The first sequence not yet received: where a resumed stream starts. */
  synchronized long next() {
    return next;
  }

  /** Sequences received above the first gap (bounded by the window). */
  synchronized int ahead() {
    return above.size();
  }
}
