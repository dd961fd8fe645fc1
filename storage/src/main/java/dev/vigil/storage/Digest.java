package dev.vigil.storage;

import dev.vigil.signing.Hex;
import java.util.Arrays;

/** A 32-byte message digest (what a guardian signs). */
public final class Digest {
  public static final int LENGTH = 32;
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Digest of(byte[] bytes32) {
    if (bytes32 == null || bytes32.length != LENGTH) {
      throw new IllegalArgumentException(
          "a digest is 32 bytes, got " + (bytes32 == null ? "null" : bytes32.length));
    }
    return new Digest(bytes32.clone());
  }

  public static Digest fromHex(String hex) {
    return of(Hex.decode(hex));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

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
  public String toString() {
    return toHex();
  }
}
