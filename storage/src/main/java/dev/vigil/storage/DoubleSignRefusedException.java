package dev.vigil.storage;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;

/**
 * Signing was refused because another digest was already signed for this message key. Nothing was
 * signed. Carries both digests so the caller can keep evidence and raise an alert.
 */
public final class DoubleSignRefusedException extends Exception {
  private final MessageId key;
  private final Digest signed;
  private final Digest refused;

  public DoubleSignRefusedException(MessageId key, Digest signed, Digest refused) {
    super(
        "refused to sign message "
            + key
            + " with digest "
            + refused.toHex()
            + ": digest "
            + signed.toHex()
            + " was already signed for it");
    this.key = key;
    this.signed = signed;
    this.refused = refused;
  }

  public MessageId key() {
    return key;
  }

  /** The digest on record, signed earlier. */
  public Digest signedDigest() {
    return signed;
  }

  /** The digest that was asked for and not signed. */
  public Digest refusedDigest() {
    return refused;
  }
}
