package dev.vigil.signing;

import java.util.Arrays;

/**
 * An immutable 32-byte value, e.g. an emitter address or a transaction hash. Equality is by
 * content. (A digest to sign is a {@link Digest}, a type of its own.)
 */
public final class Bytes32 implements Comparable<Bytes32> {
  public static final int LENGTH = 32;
  public static final Bytes32 ZERO = new Bytes32(new byte[LENGTH]);

  private final byte[] bytes;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies exactly 32 bytes; throws IllegalArgumentException naming the length otherwise. */
  public static Bytes32 wrap(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "expected 32 bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return new Bytes32(bytes.clone());
  }

  /** The 32 bytes of {@code src} at {@code offset} (how decoders read a field in place). */
  public static Bytes32 copyOf(byte[] src, int offset) {
    return new Bytes32(Arrays.copyOfRange(src, offset, offset + LENGTH));
  }

  /** Parses 64 hex digits, with or without 0x. */
  public static Bytes32 fromHex(String hex) {
    return wrap(Hex.decode(hex));
  }

  /** An Ethereum address left-padded to 32 bytes (how EVM emitters are identified). */
  public static Bytes32 leftPad(Address address) {
    return new Bytes32(address.toBytes32());
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the 32 bytes into {@code dst} at {@code offset} (how encoders fill a buffer). */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  /** 64 lowercase hex digits, no prefix. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Bytes32 o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
