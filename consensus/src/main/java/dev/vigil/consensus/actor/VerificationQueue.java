package dev.vigil.consensus.actor;

import dev.vigil.consensus.aggregation.Priority;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.MessageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers' signatures waiting for a crypto thread, one lane per {@link Priority}: a flood of
 * signatures for messages nobody observed, or from a signer whose signatures keep failing, waits
 * behind the ones that complete quorums instead of in front of them. Not thread-safe: the actor's.
 *
 * <p>Its size is bounded by the aggregator, not here: a signature is queued only while the
 * aggregator holds its slot (at most max-unseen-per-peer messages per signer for unseen ones, and a
 * few per signer and pending message for observed ones).
 */
final class VerificationQueue {
  private final ArrayDeque<SignedObservation> observed = new ArrayDeque<>();
  // By message, so that a message's waiting signatures move ahead together once it is observed
  // here.
  private final LinkedHashMap<MessageId, List<SignedObservation>> unseen = new LinkedHashMap<>();
  private final ArrayDeque<SignedObservation> suspect = new ArrayDeque<>();
  private int unseenCount;

  /** A signature taken out, with the lane it waited in. */
  record Taken(SignedObservation observation, Priority lane) {}

  void add(SignedObservation so, Priority priority) {
    switch (priority) {
      case OBSERVED -> observed.addLast(so);
      case UNSEEN -> {
        unseen.computeIfAbsent(so.messageId(), k -> new ArrayList<>(2)).add(so);
        unseenCount++;
      }
      case SUSPECT -> suspect.addLast(so);
      case UNNEEDED -> throw new IllegalArgumentException("an unneeded check is not queued");
    }
  }

  /** The message is observed here now: its waiting signatures go ahead of the unseen ones. */
  void promote(MessageId id) {
    List<SignedObservation> waiting = unseen.remove(id);
    if (waiting == null) return;
    unseenCount -= waiting.size();
    observed.addAll(waiting);
  }

  /** The next signature by priority, or null when none waits. */
  Taken poll() {
    SignedObservation so = observed.pollFirst();
    if (so != null) return new Taken(so, Priority.OBSERVED);
    Iterator<Map.Entry<MessageId, List<SignedObservation>>> it = unseen.entrySet().iterator();
    if (it.hasNext()) {
      Map.Entry<MessageId, List<SignedObservation>> first = it.next();
      List<SignedObservation> list = first.getValue();
      so = list.removeLast();
      if (list.isEmpty()) it.remove();
      unseenCount--;
      return new Taken(so, Priority.UNSEEN);
    }
    so = suspect.pollFirst();
    return so == null ? null : new Taken(so, Priority.SUSPECT);
  }

  boolean isEmpty() {
    return size() == 0;
  }

  int size() {
    return observed.size() + unseenCount + suspect.size();
  }
}
