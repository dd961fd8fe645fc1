package dev.vigil.consensus.actor;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.PeerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What goes to peers at the next flush: own signatures (without bodies), batched and signed once
 * for every peer, and attestations, batched per inbox. An attestation batch holds at most {@link
 * #MAX_BATCH_BYTES} of messages (at least one message): the cluster drops a frame over 2 MiB whole,
 * so large payloads must not take unrelated attestations down with them. Not thread-safe: the
 * actor's.
 */
final class Outbox {
  /**
   * A batch's messages add up to at most this many bytes (estimated from payload lengths and
   * signature counts), unless it holds one message only: a message of the largest payload a chain
   * may allow (1 MiB) still fits in a frame on its own.
   */
  static final int MAX_BATCH_BYTES = 1 << 20;

  /**
   * Own signatures a batch holds at most: well under what a receiver decodes (1,000), and each is
   * about 200 bytes on the wire without its body.
   */
  static final int MAX_BATCH_ENTRIES = 500;

  /** Encoded fields of an attestation besides its payload and signatures, with room for framing. */
  private static final int ATTESTATION_OVERHEAD = 128;

  private static final int SIGNATURE_BYTES = 66;

  private final List<SignedObservation> own = new ArrayList<>();
  private final Map<ActorRef<PeerMessage>, List<Attestation>> attestations = new LinkedHashMap<>();
  private int attestationCount;

  void addOwn(SignedObservation so) {
    own.add(so);
  }

  /** One attestation for one member, to the inboxes that may be its (counted once). */
  void addAttestation(Attestation a, List<ActorRef<PeerMessage>> inboxes) {
    for (ActorRef<PeerMessage> ref : inboxes)
      attestations.computeIfAbsent(ref, r -> new ArrayList<>()).add(a);
    attestationCount++;
  }

  int ownCount() {
    return own.size();
  }

  int attestationCount() {
    return attestationCount;
  }

  /**
   * Sends what is queued: own signatures to every peer in batches that {@code sign} makes (and
   * signs) once for all of them, attestations to their inboxes.
   */
  void flush(
      Set<ActorRef<PeerMessage>> peers,
      Function<List<SignedObservation>, PeerMessage.ObservationBatch> sign) {
    if (!own.isEmpty()) {
      if (!peers.isEmpty()) {
        for (List<SignedObservation> chunk : chunks(own, Outbox::size)) {
          PeerMessage batch = sign.apply(chunk);
          for (ActorRef<PeerMessage> p : peers) p.tell(batch);
        }
      }
      own.clear();
    }
    attestations.forEach(
        (ref, list) -> {
          for (List<Attestation> chunk : chunks(list, Outbox::size))
            ref.tell(PeerMessage.AttestationBatch.of(chunk));
        });
    attestations.clear();
    attestationCount = 0;
  }

  /** Own signatures travel without their bodies: a batch holds at most MAX_BATCH_ENTRIES. */
  static int size(SignedObservation so) {
    return MAX_BATCH_BYTES / MAX_BATCH_ENTRIES;
  }

  static int size(Attestation a) {
    return ATTESTATION_OVERHEAD
        + SIGNATURE_BYTES * a.signatures().size()
        + a.body().payloadLength();
  }

  /**
   * {@code items} in order, cut where the next would take a chunk over {@link #MAX_BATCH_BYTES}.
   */
  static <T> List<List<T>> chunks(List<T> items, ToIntFunction<T> size) {
    List<List<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long bytes = 0;
    for (T item : items) {
      int n = size.applyAsInt(item);
      if (!current.isEmpty() && bytes + n > MAX_BATCH_BYTES) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(item);
      bytes += n;
    }
    if (!current.isEmpty()) out.add(current);
    return out;
  }
}
