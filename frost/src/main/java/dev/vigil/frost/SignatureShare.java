package dev.vigil.frost;

import dev.vigil.signing.Hex;
import java.math.BigInteger;

/** A participant's round-two output: its signature share, a scalar. Public data once sent. */
public record SignatureShare(int identifier, BigInteger share) {
  public SignatureShare {
    Ciphersuite.checkIdentifier(identifier);
    if (share == null) {
      throw new IllegalArgumentException(
          "signature share of participant " + identifier + " is missing (null)");
    }
    if (share.signum() < 0 || share.compareTo(Ciphersuite.N) >= 0) {
      throw new IllegalArgumentException(
          "signature share of participant " + identifier + " is not a scalar in [0, n)");
    }
  }

  /** Parses a 32-byte big-endian share; rejects values not below n, naming the participant. */
  public static SignatureShare fromBytes(int identifier, byte[] share32) {
    return new SignatureShare(
        identifier,
        Ciphersuite.deserializeScalar(share32, "signature share of participant " + identifier));
  }

  /** SerializeScalar: 32 bytes, big-endian. */
  public byte[] toBytes() {
    return Ciphersuite.serializeScalar(share);
  }

  @Override
  public String toString() {
    return "SignatureShare[participant " + identifier + ", " + Hex.encode(toBytes()) + "]";
  }
}
