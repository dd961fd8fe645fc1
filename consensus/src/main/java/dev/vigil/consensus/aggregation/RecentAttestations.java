package dev.vigil.consensus.aggregation;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages attested lately, the {@code capacity} most recently used, kept to answer late peers; and
 * the sends of their attestations to peers not heard from, which wait a short delay.
 */
final class RecentAttestations {
  private final LinkedHashMap<MessageId, Done> done;
  private final ArrayDeque<Scheduled> scheduled = new ArrayDeque<>(); // in time order

  /** A message with an attestation. */
  static final class Done {
    final Attestation attestation;
    final Digest digest;
    final long attestedMillis;
    final BitSet signedBy = new BitSet(); // members known to have observed it (they need no copy)
    final long[] lastSentMillis;

    Done(Attestation attestation, Digest digest, int n, long now) {
      this.attestation = attestation;
      this.digest = digest;
      this.attestedMillis = now;
      this.lastSentMillis = new long[n];
      Arrays.fill(lastSentMillis, Long.MIN_VALUE / 2);
    }
  }

  private record Scheduled(long atMillis, MessageId id, int peer) {}

  RecentAttestations(int capacity) {
    this.done =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<MessageId, Done> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The attestation of a message, if recent; counts as a use. */
  Done get(MessageId id) {
    return done.get(id);
  }

  /** Whether the message was attested lately; does not count as a use. */
  boolean contains(MessageId id) {
    return done.containsKey(id);
  }

  void put(MessageId id, Done d) {
    done.put(id, d);
  }

  /**
   * Sends the attestation to {@code peer} at {@code atMillis} unless it is heard from meanwhile.
   */
  void scheduleSend(long atMillis, MessageId id, int peer) {
    scheduled.add(new Scheduled(atMillis, id, peer));
  }

  /** The scheduled sends that are due, to peers still not heard from and not sent to lately. */
  List<Decision> dueSends(long nowMillis, long resendIntervalMillis) {
    List<Decision> out = new ArrayList<>(0);
    while (!scheduled.isEmpty() && scheduled.peekFirst().atMillis() <= nowMillis) {
      Scheduled s = scheduled.pollFirst();
      Done d = done.get(s.id());
      if (d != null
          && !d.signedBy.get(s.peer())
          && nowMillis - d.lastSentMillis[s.peer()] >= resendIntervalMillis) {
        d.lastSentMillis[s.peer()] = nowMillis;
        out.add(new Decision.SendAttestation(d.attestation, s.peer()));
      }
    }
    return out;
  }
}
