package dev.vigil.storage;

import dev.vigil.signing.Digest;
import java.util.Optional;

/**
 * A threshold-signing nonce may not be used for the digest asked: it was used for another digest,
 * it was never issued, or it was pruned. Nothing was reserved and no share may be made. The message
 * names the nonce id and the digests involved, never nonce material.
 */
public final class NonceRefusedException extends Exception {
  /** Why the nonce was refused. */
  public enum Reason {
    /** The nonce is on record as used for another digest: a second share would leak the key. */
    OTHER_DIGEST,
    /** No nonce with this id was ever issued. */
    UNKNOWN,
    /** The id is below the prune watermark: the nonce was discarded and its id is never reused. */
    DISCARDED
  }

  private final long id;
  private final Reason reason;
  private final Digest recorded;
  private final Digest refused;

  public NonceRefusedException(
      long id, Reason reason, Digest recorded, Digest refused, String why) {
    super(why);
    this.id = id;
    this.reason = reason;
    this.recorded = recorded;
    this.refused = refused;
  }

  static NonceRefusedException otherDigest(long id, Digest recorded, Digest refused) {
    return new NonceRefusedException(
        id,
        Reason.OTHER_DIGEST,
        recorded,
        refused,
        "refused to use nonce "
            + id
            + " for digest "
            + refused.toHex()
            + ": it was already used for digest "
            + recorded.toHex()
            + " (a second signature share with one nonce reveals the signing share)");
  }

  static NonceRefusedException unknown(long id, Digest refused, long nextId) {
    return new NonceRefusedException(
        id,
        Reason.UNKNOWN,
        null,
        refused,
        "refused to use nonce "
            + id
            + " for digest "
            + refused.toHex()
            + ": no nonce with this id was issued (ids issued so far are below "
            + nextId
            + ")");
  }

  static NonceRefusedException discarded(long id, Digest refused, long watermark) {
    return new NonceRefusedException(
        id,
        Reason.DISCARDED,
        null,
        refused,
        "refused to use nonce "
            + id
            + " for digest "
            + refused.toHex()
            + ": it was discarded (nonces below "
            + watermark
            + " were pruned and their ids are never issued again)");
  }

  public long id() {
    return id;
  }

  public Reason reason() {
    return reason;
  }

  /** The digest the nonce was used for, when the reason is {@link Reason#OTHER_DIGEST}. */
  public Optional<Digest> recordedDigest() {
    return Optional.ofNullable(recorded);
  }

  /** The digest that was asked for and refused. */
  public Digest refusedDigest() {
    return refused;
  }
}
