package dev.vigil.storage;

import dev.vigil.signing.MessageId;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvBatch;
import dev.vigil.storage.kv.KvStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A guardian's database: every store in one RocksDB under one schema version. {@link #open} refuses
 * a data dir with another schema version or one that another process has open.
 */
public final class VigilDatabase implements AutoCloseable {
  /** Bump on any change to a column's key or value format. */
  public static final int SCHEMA_VERSION = 1;

  static final String ATTESTATIONS = "attestations";
  static final String ATTESTATIONS_BY_DIGEST = "attestations_by_digest";
  static final String SIGNING_RECORDS = "signing_records";
  static final String PENDING_OWN = "pending_own";
  static final String CURSORS = "cursors";
  static final String EVIDENCE = "evidence";
  static final String COMMITTEES = "committees";
  static final String FROST_NONCES = "frost_nonces";
  static final List<String> COLUMNS =
      List.of(
          ATTESTATIONS,
          ATTESTATIONS_BY_DIGEST,
          SIGNING_RECORDS,
          PENDING_OWN,
          CURSORS,
          EVIDENCE,
          COMMITTEES,
          FROST_NONCES);

  private final KvStore kv;
  private final AttestationStore attestations;
  private final SigningRecordStore signingRecords;
  private final PendingOwnStore pendingOwn;
  private final CursorStore cursors;
  private final EvidenceStore evidence;
  private final CommitteeStore committees;
  private final NonceStore nonces;

  private VigilDatabase(KvStore kv) {
    this.kv = kv;
    this.attestations = new AttestationStore(kv);
    this.signingRecords = new SigningRecordStore(kv);
    this.pendingOwn = new PendingOwnStore(kv);
    this.cursors = new CursorStore(kv);
    this.evidence = new EvidenceStore(kv);
    this.committees = new CommitteeStore(kv);
    this.nonces = new NonceStore(kv);
  }

  /** Opens or creates the database in {@code dataDir}; see {@link KvStore#open} for refusals. */
  public static VigilDatabase open(Path dataDir) {
    return new VigilDatabase(KvStore.open(dataDir, SCHEMA_VERSION, COLUMNS));
  }

  public AttestationStore attestations() {
    return attestations;
  }

  public SigningRecordStore signingRecords() {
    return signingRecords;
  }

  public PendingOwnStore pendingOwn() {
    return pendingOwn;
  }

  public CursorStore cursors() {
    return cursors;
  }

  public EvidenceStore evidence() {
    return evidence;
  }

  /** The committees this guardian switched to by rotation. */
  public CommitteeStore committees() {
    return committees;
  }

  /** Threshold-signing (FROST) nonces: made ahead, each used for one digest only. */
  public NonceStore nonces() {
    return nonces;
  }

  /**
   * Applies the puts and deletes that {@code body} adds through the stores' batch methods (e.g.
   * {@link PendingOwnStore#put(KvBatch, MessageId, byte[])}, {@link CursorStore#put(KvBatch, long,
   * ChainCursor)}) all at once, or none if the body throws.
   */
  public void write(Durability durability, Consumer<KvBatch> body) {
    kv.write(durability, body);
  }

  public Path path() {
    return kv.path();
  }

  /** Makes every earlier write durable (one fsync of the write-ahead log). */
  public void sync() {
    kv.sync();
  }

  /**
   * Whether writes work now and, if not, why and since when (see {@link KvStore#writeHealth()}).
   */
  public WriteHealth writeHealth() {
    return kv.writeHealth();
  }

  /**
   * Retries a failing data dir once its backoff has passed (reopening the engine if the dir takes
   * writes again); a no-op while writes work. Returns whether writes work now. Call it from a
   * timer: writes try it too, but a quiet node may not write for a while.
   */
  public boolean recoverIfFailing() {
    return kv.recoverIfFailing();
  }

  /** How many times the write-ahead log was fsynced since open (for metrics and tests). */
  public long walSyncCount() {
    return kv.walSyncCount();
  }

  @Override
  public void close() {
    kv.close();
  }

  @Override
  public String toString() {
    return "VigilDatabase[" + kv.path() + "]";
  }
}
