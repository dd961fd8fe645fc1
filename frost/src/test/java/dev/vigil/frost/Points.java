package dev.vigil.frost;

import java.math.BigInteger;

/** Test helpers: compressed encodings with chosen x-coordinates, on the curve or not. */
final class Points {
  static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

  private Points() {}

  static boolean hasCurvePoint(BigInteger x) {
    BigInteger rhs = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
    return rhs.signum() == 0
        || rhs.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  /** 02 || x for the first x >= from that has (wantOnCurve) or lacks a curve point. */
  static byte[] compressedWithX(BigInteger from, boolean wantOnCurve) {
    for (BigInteger x = from; ; x = x.add(BigInteger.ONE)) {
      if (hasCurvePoint(x) == wantOnCurve) {
        byte[] out = new byte[33];
        out[0] = 0x02;
        byte[] raw = x.toByteArray();
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 33 - len, len);
        return out;
      }
    }
  }

  static byte[] notOnCurve() {
    return compressedWithX(BigInteger.ONE, false);
  }
}
