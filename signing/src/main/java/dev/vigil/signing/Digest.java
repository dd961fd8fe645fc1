package dev.vigil.signing;

import java.util.Arrays;

/**
 * The 32-byte digest a guardian signs (for attestation v1: keccak256(keccak256(body)), computed by
 * the attestation format). A type of its own so that a digest is never confused with an emitter
 * address or a raw hash. Printed one way everywhere: {@code 0x} and 64 lowercase hex digits.
 */
public final class Digest implements Comparable<Digest> {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies an already computed digest (e.g. read from storage or the wire). */
  public static Digest wrap(byte[] digest32) {
    if (digest32 == null || digest32.length != LENGTH) {
      throw new IllegalArgumentException(
          "a digest is 32 bytes, got " + (digest32 == null ? "null" : digest32.length));
    }
    return new Digest(digest32.clone());
  }

  /** Parses 64 hex digits, with or without 0x. */
  public static Digest fromHex(String hex) {
    return wrap(Hex.decode(hex));
  }

  /** A copy of the 32 bytes, as handed to a signer or to signature recovery. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** {@code 0x} and 64 lowercase hex digits: the one printed form, in logs, alerts and the API. */
  public String toHex() {
    return Hex.encode0x(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Digest o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
