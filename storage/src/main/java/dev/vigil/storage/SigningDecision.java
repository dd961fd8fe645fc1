package dev.vigil.storage;

import dev.vigil.signing.Digest;
import java.util.Optional;

/** Whether a digest may be signed for a message key, given what was signed for it before. */
public enum SigningDecision {
  /** Nothing signed for this key yet: record the digest, then sign. */
  ALLOW_NEW,
  /** This very digest was signed before: signing it again is harmless (idempotent). */
  ALLOW_SAME,
  /** Another digest was signed for this key: signing would equivocate. */
  REFUSE_CONFLICT;

  public static SigningDecision decide(Optional<Digest> recorded, Digest proposed) {
    if (recorded.isEmpty()) return ALLOW_NEW;
    return recorded.get().equals(proposed) ? ALLOW_SAME : REFUSE_CONFLICT;
  }

  public boolean allowsSigning() {
    return this != REFUSE_CONFLICT;
  }
}
