package dev.vigil.frost;

import java.math.BigInteger;

/**
 * One participant's key material: its identifier, its secret signing share, the matching verifying
 * share (signing share * G), the group public key and the threshold. The signing share never
 * appears in {@link #toString()} or in exception messages.
 */
public final class KeyPackage {
  private final int identifier;
  private final BigInteger signingShare;
  private final byte[] verifyingShare;
  private final byte[] groupKey;
  private final int minSigners;

  KeyPackage(
      int identifier,
      BigInteger signingShare,
      byte[] verifyingShare,
      byte[] groupKey,
      int minSigners) {
    this.identifier = identifier;
    this.signingShare = signingShare;
    this.verifyingShare = verifyingShare.clone();
    this.groupKey = groupKey.clone();
    this.minSigners = minSigners;
  }

  /**
   * A participant's key package from its stored parts; derives the verifying share.
   *
   * @throws IllegalArgumentException naming what is wrong: identifier below 1, a signing share that
   *     is zero, not 32 bytes or not below n, a group key that is not a valid point, a threshold
   *     below 2
   */
  public static KeyPackage of(
      int identifier, byte[] signingShare32, byte[] groupKey33, int minSigners) {
    Ciphersuite.checkIdentifier(identifier);
    BigInteger share =
        Ciphersuite.deserializeNonZeroScalar(
            signingShare32, "signing share of participant " + identifier);
    byte[] groupKey = Ciphersuite.checkElement(groupKey33, "group public key");
    KeyGeneration.checkThreshold(minSigners, Integer.MAX_VALUE);
    return new KeyPackage(
        identifier, share, GroupOps.preferred().mulBase(share), groupKey, minSigners);
  }

  public int identifier() {
    return identifier;
  }

  /** The signing share as 32 big-endian bytes, for storage; the caller should wipe the copy. */
  public byte[] signingShareBytes() {
    return Ciphersuite.serializeScalar(signingShare);
  }

  BigInteger signingShare() {
    return signingShare;
  }

  /** signing share * G, 33 bytes compressed: what others verify this participant's shares with. */
  public byte[] verifyingShare() {
    return verifyingShare.clone();
  }

  /** The group public key, 33 bytes compressed. */
  public byte[] groupKey() {
    return groupKey.clone();
  }

  /** The threshold t: how many participants a signature needs. */
  public int minSigners() {
    return minSigners;
  }

  @Override
  public String toString() {
    return "KeyPackage[participant "
        + identifier
        + ", "
        + minSigners
        + " signers needed, signing share redacted]";
  }
}
