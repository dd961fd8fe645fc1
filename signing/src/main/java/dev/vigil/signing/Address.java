package dev.vigil.signing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A 20-byte Ethereum address: the last 20 bytes of keccak256 of the 64-byte public key. */
public final class Address implements Comparable<Address> {
  public static final int LENGTH = 20;
  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Address wrap(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an address is 20 bytes, got " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  /** Parses 0x-prefixed or bare hex; mixed-case input must carry a valid EIP-55 checksum. */
  public static Address fromHex(String hex) {
    byte[] b = Hex.decode(hex);
    if (b.length != LENGTH) {
      throw new IllegalArgumentException(
          "an address is 20 bytes (40 hex digits), got " + b.length + " bytes: " + hex);
    }
    Address a = new Address(b);
    String digits = hex.strip().replaceFirst("^0[xX]", "");
    boolean mixed = !digits.equals(digits.toLowerCase()) && !digits.equals(digits.toUpperCase());
    if (mixed && !a.toChecksumHex().substring(2).equals(digits)) {
      throw new IllegalArgumentException("address has a bad EIP-55 checksum: " + hex);
    }
    return a;
  }

  public static Address fromPublicKey(byte[] uncompressed64) {
    if (uncompressed64.length != 64) {
      throw new IllegalArgumentException(
          "public key must be 64 bytes (x || y), got " + uncompressed64.length);
    }
    byte[] h = Keccak256.hash(uncompressed64);
    return new Address(Arrays.copyOfRange(h, 12, 32));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The address left-padded to 32 bytes, as an emitter address or a Solidity word. */
  public byte[] toBytes32() {
    byte[] out = new byte[32];
    System.arraycopy(bytes, 0, out, 12, LENGTH);
    return out;
  }

  public String toHex() {
    return Hex.encode0x(bytes);
  }

  /** EIP-55 mixed-case checksum encoding. */
  public String toChecksumHex() {
    String lower = Hex.encode(bytes);
    byte[] h = Keccak256.hash(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder sb = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (h[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      sb.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toChecksumHex();
  }
}
