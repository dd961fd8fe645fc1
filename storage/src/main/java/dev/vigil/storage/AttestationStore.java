package dev.vigil.storage;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.Codecs.AttestationValue;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvBatch;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Attestations by message key, with an index from digest to message key. The attestation bytes are
 * opaque here (consensus owns their format). Writes are unsynced: an attestation lost to a power
 * failure is fetched again from peers, which broadcast it whole.
 */
public final class AttestationStore {
  private final KvStore kv;
  private final KvColumn<MessageId, AttestationValue> byKey;
  private final KvColumn<Digest, MessageId> byDigest;
  private final ReentrantLock writes = new ReentrantLock();

  AttestationStore(KvStore kv) {
    this.kv = kv;
    this.byKey = kv.column(VigilDatabase.ATTESTATIONS, Codecs.MESSAGE_KEY, Codecs.ATTESTATION);
    this.byDigest =
        kv.column(VigilDatabase.ATTESTATIONS_BY_DIGEST, Codecs.DIGEST, Codecs.MESSAGE_KEY);
  }

  /** One attestation to store: its message key, digest, and encoded bytes (opaque here). */
  public record Entry(MessageId key, Digest digest, byte[] attestation) {
    public Entry {
      if (attestation == null || attestation.length == 0) {
        throw new IllegalArgumentException("attestation for " + key + " is empty");
      }
    }
  }

  /**
   * Stores the attestation and its digest index in one atomic write. A later put for the same key
   * replaces it (e.g. one with more signatures); if the digest differs, the old index entry goes.
   */
  public void put(MessageId key, Digest digest, byte[] attestation) {
    putAll(List.of(new Entry(key, digest, attestation)), batch -> {});
  }

  /**
   * Stores attestations and their digest index, with whatever {@code alsoInBatch} adds, in one
   * atomic (unsynced) write: a round of attestations costs one write, not one each. Each entry
   * replaces as {@link #put} does, the later of two entries for one key included.
   */
  public void putAll(List<Entry> entries, Consumer<KvBatch> alsoInBatch) {
    List<AttestationValue> values = new ArrayList<>(entries.size());
    for (Entry e : entries) values.add(new AttestationValue(e.digest(), e.attestation().clone()));
    writes.lock();
    try {
      // The digest each key has once the entries before it are written (the store's, at first).
      Map<MessageId, Optional<Digest>> current = new HashMap<>();
      for (Entry e : entries)
        current.computeIfAbsent(e.key(), k -> byKey.get(k).map(AttestationValue::digest));
      kv.write(
          Durability.UNSYNCED,
          batch -> {
            for (int i = 0; i < entries.size(); i++) {
              Entry e = entries.get(i);
              current
                  .get(e.key())
                  .filter(d -> !d.equals(e.digest()))
                  .ifPresent(d -> batch.delete(byDigest, d));
              current.put(e.key(), Optional.of(e.digest()));
              batch.put(byKey, e.key(), values.get(i));
              batch.put(byDigest, e.digest(), e.key());
            }
            alsoInBatch.accept(batch);
          });
    } finally {
      writes.unlock();
    }
  }

  public Optional<StoredAttestation> get(MessageId key) {
    return byKey.get(key).map(v -> new StoredAttestation(key, v.digest(), v.bytes()));
  }

  public boolean contains(MessageId key) {
    return byKey.contains(key);
  }

  /** The message key attested under this digest, if any. */
  public Optional<MessageId> keyOf(Digest digest) {
    return byDigest.get(digest);
  }

  public Optional<StoredAttestation> getByDigest(Digest digest) {
    // A concurrent replace can move the key to another digest between the two reads.
    return byDigest.get(digest).flatMap(this::get).filter(a -> a.digest().equals(digest));
  }

  /** Walks every attestation (cost grows with the store). */
  public long count() {
    return byKey.count(KvRange.all());
  }

  /**
   * Visits attestations in key order (chain, emitter, sequence) until {@code visitor} returns
   * false.
   */
  public void forEach(Predicate<StoredAttestation> visitor) {
    byKey.forEach(
        KvRange.all(), (k, v) -> visitor.test(new StoredAttestation(k, v.digest(), v.bytes())));
  }

  /** Up to {@code limit} attestations at or after {@code from}, in key order. */
  public List<StoredAttestation> list(MessageId from, int limit) {
    return collect(KvRange.from(from.encode()), limit);
  }

  /**
   * Up to {@code limit} attestations of one emitter with sequence at or after {@code fromSequence}.
   */
  public List<StoredAttestation> listEmitter(
      int emitterChain, Bytes32 emitterAddress, long fromSequence, int limit) {
    KvRange range =
        KvRange.prefix(emitterPrefix(emitterChain, emitterAddress))
            .startingAt(new MessageId(emitterChain, emitterAddress, fromSequence).encode());
    return collect(range, limit);
  }

  /** Key prefix of every message from one emitter: chain u16 | emitter 32 B. */
  static byte[] emitterPrefix(int emitterChain, Bytes32 emitterAddress) {
    return Arrays.copyOf(
        new MessageId(emitterChain, emitterAddress, 0).encode(), 2 + Bytes32.LENGTH);
  }

  private List<StoredAttestation> collect(KvRange range, int limit) {
    List<StoredAttestation> out = new ArrayList<>();
    byKey
        .list(range, limit)
        .forEach(
            e -> out.add(new StoredAttestation(e.key(), e.value().digest(), e.value().bytes())));
    return out;
  }
}
