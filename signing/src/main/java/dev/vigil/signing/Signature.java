package dev.vigil.signing;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A recoverable secp256k1 ECDSA signature: r and s as 32-byte big-endian integers and the recovery
 * id v in {0, 1} (not Ethereum's 27/28). Construction checks only the shape; {@link #isCanonical()}
 * tells whether r and s are in range and s is in the lower half of the group order.
 */
public final class Signature {
  public static final int LENGTH = 65;
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  static final BigInteger HALF_N = N.shiftRight(1);

  private final byte[] r;
  private final byte[] s;
  private final int v;

  private Signature(byte[] r, byte[] s, int v) {
    this.r = r;
    this.s = s;
    this.v = v;
  }

  public static Signature of(byte[] r, byte[] s, int v) {
    if (r.length != 32 || s.length != 32) {
      throw new IllegalArgumentException(
          "r and s must be 32 bytes each, got " + r.length + " and " + s.length);
    }
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException("recovery id v must be 0 or 1, got " + v);
    }
    return new Signature(r.clone(), s.clone(), v);
  }

  static Signature of(BigInteger r, BigInteger s, int v) {
    return new Signature(to32(r), to32(s), v);
  }

  /** Parses r (32) || s (32) || v (1), v in {0, 1}. */
  public static Signature fromBytes(byte[] b) {
    return fromBytes(b, 0);
  }

  public static Signature fromBytes(byte[] b, int offset) {
    if (b.length - offset < LENGTH) {
      throw new IllegalArgumentException(
          "a signature is 65 bytes, got " + Math.max(0, b.length - offset));
    }
    return of(
        Arrays.copyOfRange(b, offset, offset + 32),
        Arrays.copyOfRange(b, offset + 32, offset + 64),
        b[offset + 64] & 0xff);
  }

  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    System.arraycopy(r, 0, out, 0, 32);
    System.arraycopy(s, 0, out, 32, 32);
    out[64] = (byte) v;
    return out;
  }

  public byte[] r() {
    return r.clone();
  }

  public byte[] s() {
    return s.clone();
  }

  public int v() {
    return v;
  }

  BigInteger rInt() {
    return new BigInteger(1, r);
  }

  BigInteger sInt() {
    return new BigInteger(1, s);
  }

  /** 1 <= r, s < n and s <= n/2 (the only form Vigil signs and accepts). */
  public boolean isCanonical() {
    BigInteger ri = rInt();
    BigInteger si = sInt();
    return ri.signum() > 0 && ri.compareTo(N) < 0 && si.signum() > 0 && si.compareTo(HALF_N) <= 0;
  }

  static byte[] to32(BigInteger x) {
    byte[] b = x.toByteArray();
    if (b.length == 32) return b;
    byte[] out = new byte[32];
    if (b.length > 32) System.arraycopy(b, b.length - 32, out, 0, 32);
    else System.arraycopy(b, 0, out, 32 - b.length, b.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature x && v == x.v && Arrays.equals(r, x.r) && Arrays.equals(s, x.s);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(r) + Arrays.hashCode(s)) + v;
  }

  @Override
  public String toString() {
    return "Signature[" + Hex.encode0x(toBytes()) + "]";
  }
}
