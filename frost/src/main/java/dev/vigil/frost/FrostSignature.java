package dev.vigil.frost;

import dev.vigil.signing.Hex;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A FROST(secp256k1, SHA-256) Schnorr signature: the group commitment R (33-byte compressed point)
 * and z (32-byte scalar). {@link #toBytes()} is R || z, 65 bytes, as RFC 9591 serializes it; the
 * EVM verifier takes the same two parts.
 */
public record FrostSignature(byte[] r, BigInteger z) {
  public static final int SIZE = Ciphersuite.ELEMENT_SIZE + Ciphersuite.SCALAR_SIZE;

  public FrostSignature {
    r = Ciphersuite.checkElement(r, "signature's R");
    if (z == null || z.signum() < 0 || z.compareTo(Ciphersuite.N) >= 0) {
      throw new IllegalArgumentException("signature's z is not a scalar in [0, n)");
    }
  }

  /** Parses R (33 bytes) || z (32 bytes), naming which part is malformed. */
  public static FrostSignature fromBytes(byte[] sig65) {
    if (sig65 == null || sig65.length != SIZE) {
      throw new IllegalArgumentException(
          "a FROST signature is "
              + SIZE
              + " bytes (R 33 || z 32), got "
              + (sig65 == null ? "null" : sig65.length + " bytes"));
    }
    return new FrostSignature(
        Arrays.copyOf(sig65, 33),
        Ciphersuite.deserializeScalar(Arrays.copyOfRange(sig65, 33, SIZE), "signature's z"));
  }

  @Override
  public byte[] r() {
    return r.clone();
  }

  /** z as 32 big-endian bytes. */
  public byte[] zBytes() {
    return Ciphersuite.serializeScalar(z);
  }

  /** R (33 bytes, compressed) || z (32 bytes, big-endian). */
  public byte[] toBytes() {
    return Ciphersuite.concat(r, zBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrostSignature s && Arrays.equals(s.r, r) && s.z.equals(z);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(r) + z.hashCode();
  }

  @Override
  public String toString() {
    return "FrostSignature[" + Hex.encode(toBytes()) + "]";
  }
}
