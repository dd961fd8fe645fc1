package dev.vigil.consensus.actor;

import dev.vigil.consensus.aggregation.Priority;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.MessageId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which peers' signatures go to the crypto dispatcher, and when: a queue by priority, at most
 * {@code maxChunksInFlight} chunks of {@code chunkSize} out at once, so that a long queue stays
 * here, where it can be reordered and thinned, rather than there. Checks found unneeded when they
 * come up are set aside for the aggregator to hear of. Not thread-safe: the actor's.
 */
final class VerificationDispatch {
  private final VerificationQueue queue = new VerificationQueue();
  private final List<SignedObservation> skipped = new ArrayList<>();
  private final int chunkSize;
  private final int maxChunksInFlight;
  private int chunksInFlight;

  VerificationDispatch(int chunkSize, int maxChunksInFlight) {
    this.chunkSize = chunkSize;
    this.maxChunksInFlight = maxChunksInFlight;
  }

  /** A check the aggregator asked for, at the priority it gives now. */
  void request(SignedObservation so, Priority priority) {
    if (priority == Priority.UNNEEDED) skipped.add(so);
    else queue.add(so, priority);
  }

  /** The message is observed here now: its waiting signatures go first. */
  void promote(MessageId id) {
    queue.promote(id);
  }

  /**
   * The next chunk to check, best first, each asked its priority again just before ({@code
   * priorityNow}); empty when the queue is empty or enough chunks are out. Checks that became
   * unneeded are set aside, and those whose signer became suspect meanwhile wait in its lane.
   */
  List<SignedObservation> nextChunk(Function<SignedObservation, Priority> priorityNow) {
    List<SignedObservation> items = new ArrayList<>(chunkSize);
    if (chunksInFlight >= maxChunksInFlight) return items;
    while (items.size() < chunkSize) {
      VerificationQueue.Taken t = queue.poll();
      if (t == null) break;
      Priority now = priorityNow.apply(t.observation());
      if (now == Priority.UNNEEDED) skipped.add(t.observation());
      else if (now.compareTo(t.lane()) > 0) queue.add(t.observation(), now);
      else items.add(t.observation());
    }
    return items;
  }

  /** The checks set aside as unneeded since the last call. */
  List<SignedObservation> takeSkipped() {
    if (skipped.isEmpty()) return List.of();
    List<SignedObservation> s = List.copyOf(skipped);
    skipped.clear();
    return s;
  }

  void chunkStarted() {
    chunksInFlight++;
  }

  void chunkDone() {
    chunksInFlight--;
  }

  /** Nothing more can start now: enough chunks are out, or nothing waits. */
  boolean stalled() {
    return chunksInFlight >= maxChunksInFlight || queue.isEmpty() && skipped.isEmpty();
  }
}
