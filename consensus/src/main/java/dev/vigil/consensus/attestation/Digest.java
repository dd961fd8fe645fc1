package dev.vigil.consensus.attestation;

import dev.vigil.signing.Hex;
import dev.vigil.signing.Keccak256;
import java.util.Arrays;

/**
 * The 32-byte digest guardians sign: keccak256(keccak256(body)). A type of its own so that a
 * digest is never confused with an emitter address or a raw hash.
 */
public final class Digest implements Comparable<Digest> {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps an already computed digest (e.g. read from storage or the wire). */
  public static Digest wrap(byte[] digest32) {
    if (digest32 == null || digest32.length != LENGTH) {
      throw new IllegalArgumentException(
          "a digest is 32 bytes, got " + (digest32 == null ? "null" : digest32.length));
    }
    return new Digest(digest32.clone());
  }

  public static Digest fromHex(String hex) {
    return wrap(Hex.decode(hex));
  }

  /** keccak256(keccak256(body)), the Wormhole VAA v1 digest. */
  public static Digest ofBody(byte[] body) {
    return ofBody(body, 0, body.length);
  }

  static Digest ofBody(byte[] buf, int offset, int length) {
    return new Digest(Keccak256.hash(Keccak256.hash(buf, offset, length)));
  }

  /** A copy of the 32 bytes, as handed to a signer or to signature recovery. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.encode(bytes);
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
