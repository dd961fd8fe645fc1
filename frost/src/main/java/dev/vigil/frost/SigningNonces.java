package dev.vigil.frost;

import java.math.BigInteger;

/**
 * A participant's secret round-one nonces and their public {@link #commitment()}. Single use: the
 * first signature share consumes them, and any later use fails, because two shares made with the
 * same nonces reveal the signing share. The nonces never appear in {@link #toString()}.
 */
public final class SigningNonces {
  private final SigningCommitment commitment;
  private BigInteger hiding;
  private BigInteger binding;

  SigningNonces(BigInteger hiding, BigInteger binding, SigningCommitment commitment) {
    this.hiding = hiding;
    this.binding = binding;
    this.commitment = commitment;
  }

  /** What to send to the coordinator. */
  public SigningCommitment commitment() {
    return commitment;
  }

  public int identifier() {
    return commitment.identifier();
  }

  /** Whether a signature share was already made with these nonces. */
  public synchronized boolean isUsed() {
    return hiding == null;
  }

  /** {hiding, binding}, kept here; fails when already taken. */
  synchronized BigInteger[] peek() {
    if (hiding == null) {
      throw new IllegalStateException(
          "the nonces of participant "
              + identifier()
              + " were already used for a signature share; they cannot be exported");
    }
    return new BigInteger[] {hiding, binding};
  }

  /** {hiding, binding}, forgotten here; fails when already taken. */
  synchronized BigInteger[] take() {
    if (hiding == null) {
      throw new IllegalStateException(
          "the nonces of participant "
              + identifier()
              + " were already used for a signature share; make new ones with commit()"
              + " (reusing nonces reveals the signing share)");
    }
    BigInteger[] out = {hiding, binding};
    hiding = null;
    binding = null;
    return out;
  }

  @Override
  public String toString() {
    return "SigningNonces[participant "
        + identifier()
        + (isUsed() ? ", used" : "")
        + ", nonces redacted]";
  }
}
