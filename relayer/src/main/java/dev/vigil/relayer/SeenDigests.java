package dev.vigil.relayer;

import dev.vigil.signing.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Digests already taken in, so that the same attestation from several nodes (or a replay after a
 * reconnection) is handled once. Bounded: the oldest are forgotten; one forgotten and seen again is
 * caught by the destination's {@code isExecuted} check before anything is sent.
 */
final class SeenDigests {
  private final Map<Digest, Boolean> seen;

  SeenDigests(int capacity) {
    seen =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True if {@code d} was not seen before (and is now). */
  synchronized boolean claim(Digest d) {
    return seen.putIfAbsent(d, Boolean.TRUE) == null;
  }

  synchronized boolean contains(Digest d) {
    return seen.containsKey(d);
  }

  /** Forgets {@code d}: it was claimed but could not be taken in, so a later copy must be. */
  synchronized void release(Digest d) {
    seen.remove(d);
  }

  synchronized int size() {
    return seen.size();
  }
}
