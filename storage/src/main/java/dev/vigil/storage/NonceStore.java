package dev.vigil.storage;

import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvCodec;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable bookkeeping of threshold-signing nonces, so that no nonce is ever used for two
 * messages, across crashes too: the sibling of the double-sign guard ({@link SigningRecordStore}).
 * It deals in opaque bytes (the caller's sealed secret nonces and their public commitment) and
 * 32-byte digests; the FROST-aware part is {@code consensus.threshold.NonceGuardedSigner}.
 *
 * <ul>
 *   <li>{@link #addBatch}: nonces are made ahead in batches. Each gets an id from a u64 counter
 *       that never goes back (its high-water mark is stored with the batch). The batch and the new
 *       mark are written in one synced write before this returns, so a commitment can only leave
 *       the node once its nonce is on disk, state {@link State#FRESH}.
 *   <li>{@link #reserve}: before a signature share is made, the nonce is marked {@link State#USED}
 *       with the digest it signs, with a synced write. Reserving it again for the same digest
 *       returns it again (the same share: harmless, e.g. a retransmission after a crash); for
 *       another digest, or for an id never issued or pruned, it is refused.
 *   <li>{@link #prune}: entries below a watermark the caller gives are deleted; the watermark is
 *       stored and only goes up, and ids below it are refused forever.
 * </ul>
 *
 * <p>Column {@value VigilDatabase#FROST_NONCES}: key {@code 0x01 | id u64} -> {@code version u8 = 1
 * | id u64 (the key's, checked) | state u8 (1 fresh, 2 used) | digest 32 B (used only) | commitment
 * length u16 | commitment | secret length u16 | secret}; key {@code 0x00 0x01} -> the next id to
 * issue (u64), key {@code 0x00 0x02} -> the prune watermark (u64). Stored bytes that do not decode
 * raise a {@link StorageException} naming the column and key, never a nonce. The secret bytes are
 * never logged nor shown by {@code toString()}; store them sealed (encrypted), as the signer does.
 *
 * <p>Thread-safe: one lock orders batches, reservations and pruning (each holds it across its
 * synced write).
 */
public final class NonceStore {
  /** The most nonces one {@link #addBatch} makes. */
  public static final int MAX_BATCH = 10_000;

  static final byte ENTRY_PREFIX = 0x01;
  static final byte MARK_PREFIX = 0x00;
  static final byte NEXT_ID = 0x01;
  static final byte PRUNED_BELOW = 0x02;
  private static final byte VERSION = 1;
  private static final int MAX_PART = 0xffff;

  /** A nonce's state. */
  public enum State {
    /** Made and committed to; not used yet. */
    FRESH,
    /** Reserved for one digest: usable again for that digest only. */
    USED
  }

  /** What the caller stores for a new nonce: its sealed secret and its public commitment. */
  public record Fresh(byte[] sealedSecret, byte[] commitment) {
    public Fresh {
      sealedSecret = checkPart(sealedSecret, "sealed secret");
      commitment = checkPart(commitment, "commitment");
    }

    @Override
    public byte[] sealedSecret() {
      return sealedSecret.clone();
    }

    @Override
    public byte[] commitment() {
      return commitment.clone();
    }

    @Override
    public String toString() {
      return "Fresh[commitment " + Hex.encode0x(commitment) + ", secret redacted]";
    }
  }

  /** Makes the nonce for an id of a batch (so that the id can be bound into what is sealed). */
  @FunctionalInterface
  public interface Maker {
    Fresh make(long id);
  }

  /** A stored nonce. {@code digest} is set exactly when the state is {@link State#USED}. */
  public record Entry(
      long id, State state, Optional<Digest> digest, byte[] commitment, byte[] sealedSecret) {
    public Entry {
      if (id < 0) throw new IllegalArgumentException("nonce id must be >= 0, got " + id);
      if ((state == State.USED) != digest.isPresent()) {
        throw new IllegalArgumentException(
            "nonce " + id + ": a digest is recorded exactly when the nonce is used");
      }
      commitment = checkPart(commitment, "commitment");
      sealedSecret = checkPart(sealedSecret, "sealed secret");
    }

    @Override
    public byte[] commitment() {
      return commitment.clone();
    }

    @Override
    public byte[] sealedSecret() {
      return sealedSecret.clone();
    }

    Entry used(Digest d) {
      return new Entry(id, State.USED, Optional.of(d), commitment, sealedSecret);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && id == e.id
          && state == e.state
          && digest.equals(e.digest)
          && Arrays.equals(commitment, e.commitment)
          && Arrays.equals(sealedSecret, e.sealedSecret);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(id) * 31 + Arrays.hashCode(commitment);
    }

    @Override
    public String toString() {
      return "Nonce["
          + id
          + ", "
          + state
          + digest.map(d -> " for " + d.toHex()).orElse("")
          + ", commitment "
          + Hex.encode0x(commitment)
          + ", secret redacted]";
    }
  }

  /**
   * A nonce reserved for a digest: use its secret for exactly that digest. {@code repeat} is true
   * when it was already reserved for that same digest before (a retransmission).
   */
  public record Reservation(Entry nonce, boolean repeat) {}

  private final KvStore kv;
  private final KvColumn<Long, Entry> entries;
  private final KvColumn<Byte, Long> marks;
  private final ReentrantLock lock = new ReentrantLock();

  NonceStore(KvStore kv) {
    this.kv = kv;
    this.entries = kv.column(VigilDatabase.FROST_NONCES, ID_KEY, ENTRY);
    this.marks = kv.column(VigilDatabase.FROST_NONCES, MARK_KEY, U64);
  }

  /**
   * Makes {@code count} nonces with the next ids and writes them, FRESH, with the new high-water
   * mark in one synced write. When this returns they are on disk and their commitments may leave
   * the node; when it throws (the maker threw or the write failed), nothing was written and no
   * commitment of this batch may be sent.
   *
   * @return the new entries, ids ascending and consecutive
   * @throws StorageException the store could not be read or written, or its state is damaged (an
   *     entry at or above the high-water mark, or entries without one)
   */
  public List<Entry> addBatch(int count, Maker maker) {
    if (count < 1 || count > MAX_BATCH) {
      throw new IllegalArgumentException(
          "a nonce batch has 1 to " + MAX_BATCH + " nonces, got " + count);
    }
    lock.lock();
    try {
      long first = nextId();
      if (first > Long.MAX_VALUE - count) {
        throw new StorageException("nonce ids are exhausted in data dir " + kv.path());
      }
      // A mark that went back (restored from an old backup, edited) would re-issue ids: refuse.
      Optional<Entry> above = lastEntry().filter(e -> e.id() >= first);
      if (above.isPresent()) {
        throw new StorageException(
            "column "
                + VigilDatabase.FROST_NONCES
                + " in data dir "
                + kv.path()
                + " is damaged: nonce "
                + above.get().id()
                + " is stored but the next id to issue is "
                + first
                + "; refusing to issue nonce ids again");
      }
      List<Entry> made = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long id = first + i;
        Fresh f = maker.make(id);
        if (f == null) throw new IllegalArgumentException("the maker returned no nonce for " + id);
        made.add(new Entry(id, State.FRESH, Optional.empty(), f.commitment, f.sealedSecret));
      }
      kv.write(
          Durability.SYNCED,
          batch -> {
            for (Entry e : made) batch.put(entries, e.id(), e);
            batch.put(marks, NEXT_ID, first + count);
          });
      return made;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reserves nonce {@code id} for {@code digest}: a FRESH nonce becomes USED for it with a synced
   * write before this returns; a nonce already USED for this very digest is returned again with no
   * write. Only after this returns may a signature share be made with the nonce, and only over what
   * {@code digest} stands for.
   *
   * @throws NonceRefusedException the nonce is USED for another digest, was never issued, or was
   *     pruned; nothing was written
   * @throws StorageException the store could not be read or written (then nothing may be signed)
   */
  public Reservation reserve(long id, Digest digest) throws NonceRefusedException {
    if (digest == null) throw new IllegalArgumentException("digest is missing (null)");
    lock.lock();
    try {
      if (id < 0) throw NonceRefusedException.unknown(id, digest, nextId());
      Optional<Entry> found = get(id);
      if (found.isEmpty()) {
        long pruned = prunedBelow();
        if (id < pruned) throw NonceRefusedException.discarded(id, digest, pruned);
        long next = nextId();
        if (id >= next) throw NonceRefusedException.unknown(id, digest, next);
        // Below the mark and above the watermark, yet absent: the entry was lost.
        throw new StorageException(
            "column "
                + VigilDatabase.FROST_NONCES
                + " in data dir "
                + kv.path()
                + " is damaged: nonce "
                + id
                + " was issued (next id "
                + next
                + ", pruned below "
                + pruned
                + ") but is not stored");
      }
      Entry e = found.get();
      return switch (SigningDecision.decide(e.digest(), digest)) {
        case ALLOW_NEW -> {
          Entry used = e.used(digest);
          entries.put(id, used, Durability.SYNCED);
          yield new Reservation(used, false);
        }
        case ALLOW_SAME -> new Reservation(e, true);
        case REFUSE_CONFLICT ->
            throw NonceRefusedException.otherDigest(id, e.digest().get(), digest);
      };
    } finally {
      lock.unlock();
    }
  }

  /** The nonce stored under {@code id}, if any. */
  public Optional<Entry> get(long id) {
    if (id < 0) return Optional.empty();
    Optional<Entry> e = entries.get(id);
    e.ifPresent(x -> checkId(id, x));
    return e;
  }

  private void checkId(long key, Entry e) {
    if (e.id() != key) {
      throw damaged("the entry stored under nonce " + key + " is the entry of nonce " + e.id());
    }
  }

  /**
   * The first id never issued: every id below it was issued once (and may since have been pruned).
   *
   * @throws StorageException when nonces are stored but the mark is missing (damage)
   */
  public long nextId() {
    Optional<Long> mark = marks.get(NEXT_ID);
    if (mark.isPresent()) {
      if (mark.get() < 0) throw damaged("the next nonce id is negative: " + mark.get());
      return mark.get();
    }
    if (lastEntry().isPresent() || marks.contains(PRUNED_BELOW)) {
      throw damaged("nonces are stored but the next id to issue is not");
    }
    return 0;
  }

  /** Ids below this were pruned and are refused forever (0 when nothing was pruned). */
  public long prunedBelow() {
    long w = marks.get(PRUNED_BELOW).orElse(0L);
    if (w < 0) throw damaged("the prune watermark is negative: " + w);
    return w;
  }

  /**
   * Deletes every nonce with an id below {@code watermark} (used ones, and fresh ones the caller
   * gave up on) and raises the stored watermark to it, in one synced write. Ids below it are never
   * issued again and refused by {@link #reserve}. A watermark at or below the current one does
   * nothing.
   *
   * @return how many entries were deleted
   * @throws IllegalArgumentException when {@code watermark} is above {@link #nextId()}
   */
  public long prune(long watermark) {
    lock.lock();
    try {
      long next = nextId();
      if (watermark > next) {
        throw new IllegalArgumentException(
            "cannot prune nonces below " + watermark + ": ids issued so far are below " + next);
      }
      long current = prunedBelow();
      if (watermark <= current) return 0;
      List<Long> doomed = new ArrayList<>();
      entries.forEach(
          KvRange.between(ID_KEY.encode(current), ID_KEY.encode(watermark)),
          (id, e) -> doomed.add(id));
      kv.write(
          Durability.SYNCED,
          batch -> {
            for (long id : doomed) batch.delete(entries, id);
            batch.put(marks, PRUNED_BELOW, watermark);
          });
      return doomed.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Visits the stored nonces with ids from {@code fromId} on, ascending, until it returns false.
   */
  public void forEach(long fromId, KvColumn.Visitor<Long, Entry> visitor) {
    entries.forEach(
        KvRange.between(ID_KEY.encode(Math.max(0, fromId)), new byte[] {ENTRY_PREFIX + 1}),
        (id, e) -> {
          checkId(id, e);
          return visitor.visit(id, e);
        });
  }

  /** How many nonces are stored (walks them all). */
  public long count() {
    return entries.count(KvRange.prefix(new byte[] {ENTRY_PREFIX}));
  }

  private Optional<Entry> lastEntry() {
    // No reverse iteration in KvColumn: the ids above the mark are few (none, unless damaged), so
    // scan from the mark up.
    Optional<Long> mark = marks.get(NEXT_ID);
    long from = mark.orElse(0L);
    Entry[] last = {null};
    forEach(
        Math.max(0, from),
        (id, e) -> {
          last[0] = e;
          return true;
        });
    return Optional.ofNullable(last[0]);
  }

  private StorageException damaged(String what) {
    return new StorageException(
        "column "
            + VigilDatabase.FROST_NONCES
            + " in data dir "
            + kv.path()
            + " is damaged: "
            + what
            + "; refusing to issue or use nonces");
  }

  private static byte[] checkPart(byte[] b, String what) {
    if (b == null) throw new IllegalArgumentException(what + " is missing (null)");
    if (b.length == 0 || b.length > MAX_PART) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + MAX_PART + " bytes, got " + b.length);
    }
    return b.clone();
  }

  static final KvCodec<Long> ID_KEY =
      KvCodec.of(
          id -> {
            if (id < 0) throw new IllegalArgumentException("nonce id must be >= 0, got " + id);
            return ByteBuffer.allocate(9).put(ENTRY_PREFIX).putLong(id).array();
          },
          b -> {
            if (b.length != 9 || b[0] != ENTRY_PREFIX) {
              throw new IllegalArgumentException(
                  "a nonce key is 0x01 and a u64 id (9 bytes), got " + b.length + " bytes");
            }
            long id = ByteBuffer.wrap(b, 1, 8).getLong();
            if (id < 0) throw new IllegalArgumentException("nonce id is negative");
            return id;
          });

  static final KvCodec<Byte> MARK_KEY =
      KvCodec.of(
          tag -> new byte[] {MARK_PREFIX, tag},
          b -> {
            if (b.length != 2 || b[0] != MARK_PREFIX) {
              throw new IllegalArgumentException("a nonce mark key is 0x00 and a tag (2 bytes)");
            }
            return b[1];
          });

  static final KvCodec<Long> U64 =
      KvCodec.of(
          v -> ByteBuffer.allocate(8).putLong(v).array(),
          b -> {
            if (b.length != 8)
              throw new IllegalArgumentException("a u64 is 8 bytes, got " + b.length);
            return ByteBuffer.wrap(b).getLong();
          });

  private static final KvCodec<Entry> ENTRY = KvCodec.of(NonceStore::encode, NonceStore::decode);

  private static byte[] encode(Entry e) {
    ByteBuffer b =
        ByteBuffer.allocate(
            10
                + (e.digest.isPresent() ? 32 : 0)
                + 2
                + e.commitment.length
                + 2
                + e.sealedSecret.length);
    b.put(VERSION).putLong(e.id).put((byte) (e.state == State.FRESH ? 1 : 2));
    e.digest.ifPresent(d -> b.put(d.toBytes()));
    b.putShort((short) e.commitment.length).put(e.commitment);
    b.putShort((short) e.sealedSecret.length).put(e.sealedSecret);
    return b.array();
  }

  private static Entry decode(byte[] raw) {
    // Messages name what is wrong, never the bytes (the secret is in them).
    ByteBuffer b = ByteBuffer.wrap(raw);
    if (b.remaining() < 10) {
      throw new IllegalArgumentException(
          "a nonce entry is at least 10 bytes, got " + b.remaining());
    }
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown nonce entry version " + (version & 0xff));
    }
    long id = b.getLong();
    if (id < 0) throw new IllegalArgumentException("the entry's nonce id is negative");
    byte s = b.get();
    State state =
        switch (s) {
          case 1 -> State.FRESH;
          case 2 -> State.USED;
          default -> throw new IllegalArgumentException("unknown nonce state " + (s & 0xff));
        };
    Optional<Digest> digest = Optional.empty();
    if (state == State.USED) {
      if (b.remaining() < 32)
        throw new IllegalArgumentException("a used nonce entry is cut in its digest");
      byte[] d = new byte[32];
      b.get(d);
      digest = Optional.of(Digest.wrap(d));
    }
    byte[] commitment = part(b, "commitment");
    byte[] secret = part(b, "sealed secret");
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(
          "a nonce entry has " + b.remaining() + " bytes after its end");
    }
    return new Entry(id, state, digest, commitment, secret);
  }

  private static byte[] part(ByteBuffer b, String what) {
    if (b.remaining() < 2)
      throw new IllegalArgumentException("a nonce entry is cut before its " + what);
    int len = Short.toUnsignedInt(b.getShort());
    if (len == 0 || len > b.remaining()) {
      throw new IllegalArgumentException(
          "a nonce entry's "
              + what
              + " length "
              + len
              + " does not fit ("
              + b.remaining()
              + " left)");
    }
    byte[] out = new byte[len];
    b.get(out);
    return out;
  }
}
