package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs message digests only through the double-sign guard: the digest is recorded for its message
 * key with a synced write before the signature is made, and a second, different digest for the same
 * key is refused, across crashes and restarts. It deliberately does not implement {@link Signer}: a
 * raw digest without its message key could not be guarded.
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
  public Signature sign(MessageKey key, Digest digest) throws DoubleSignRefusedException {
    SigningRecordStore.Check check = records.checkAndRecord(key, digest);
    if (!check.decision().allowsSigning()) {
      log.warn("Refused to sign {} with digest {}: digest {} was already signed", key, digest, check.recorded());
      throw new DoubleSignRefusedException(key, check.recorded(), digest);
    }
    return signer.sign(digest.toBytes());
  }

  public Signature sign(MessageKey key, byte[] digest32) throws DoubleSignRefusedException {
    return sign(key, Digest.of(digest32));
  }

  @Override
  public String toString() {
    return "GuardedSigner[" + signer.address() + "]";
  }
}
