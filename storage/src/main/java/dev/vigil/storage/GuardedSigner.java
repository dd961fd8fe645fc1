package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs message digests only through the double-sign guard: the digest is recorded for its message
 * key with a synced write before the signature is made, and a second, different digest for the same
 * key is refused, across crashes and restarts. {@link #signAll} guards a whole batch with one
 * synced write (group commit), so that a busy guardian pays one fsync per batch, not per signature.
 * It deliberately does not implement {@link Signer}: a raw digest without its message key could not
 * be guarded.
 */
public final class GuardedSigner {
  private static final Logger log = LoggerFactory.getLogger(GuardedSigner.class);

  private final Signer signer;
  private final SigningRecordStore records;

  public GuardedSigner(Signer signer, SigningRecordStore records) {
    this.signer = signer;
    this.records = records;
  }

  public Address address() {
    return signer.address();
  }

  /**
   * Signs {@code digest} for {@code key}, or refuses if another digest was signed for it. Signing
   * the same digest again returns a signature (the same one, as signing is deterministic).
   *
   * @throws DoubleSignRefusedException nothing was signed
   * @throws StorageException the record could not be read or written; nothing was signed
   */
  public Signature sign(MessageId key, Digest digest) throws DoubleSignRefusedException {
    Result r = signAll(List.of(new SigningRecordStore.Proposal(key, digest))).getFirst();
    if (!r.signed()) throw r.refusal();
    return r.signature();
  }

  public Signature sign(MessageId key, byte[] digest32) throws DoubleSignRefusedException {
    return sign(key, Digest.wrap(digest32));
  }

  /**
   * The outcome of one item of {@link #signAll}: a signature, or a refusal naming the digest on
   * record (exactly one of {@code signature} and {@code refusal} is set).
   */
  public record Result(
      MessageId key, Digest digest, Signature signature, DoubleSignRefusedException refusal) {
    public boolean signed() {
      return signature != null;
    }
  }

  /**
   * {@link #sign} for every item, with the records of all new digests written in one synced batch
   * before any of the signatures is made. A conflicting digest refuses only its own item (as does a
   * second, different digest for a key that appears earlier in the same list). Results are in the
   * order of the items.
   *
   * @throws StorageException the records could not be read or written; nothing was signed
   */
  public List<Result> signAll(List<SigningRecordStore.Proposal> items) {
    List<SigningRecordStore.Check> checks = records.checkAndRecordAll(items);
    List<Result> out = new ArrayList<>(checks.size());
    for (SigningRecordStore.Check c : checks) {
      if (c.decision().allowsSigning()) {
        out.add(new Result(c.key(), c.proposed(), signer.sign(c.proposed().toBytes()), null));
      } else {
        log.warn(
            "Refused to sign {} with digest {}: digest {} was already signed",
            c.key(),
            c.proposed(),
            c.recorded());
        out.add(
            new Result(
                c.key(),
                c.proposed(),
                null,
                new DoubleSignRefusedException(c.key(), c.recorded(), c.proposed())));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "GuardedSigner[" + signer.address() + "]";
  }
}
