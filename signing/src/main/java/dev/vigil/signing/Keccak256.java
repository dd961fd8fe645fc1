package dev.vigil.signing;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256). */
public final class Keccak256 {
  public static final int LENGTH = 32;

  private Keccak256() {}

  public static byte[] hash(byte[] input) {
    return hash(input, 0, input.length);
  }

  public static byte[] hash(byte[] input, int offset, int length) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(input, offset, length);
    byte[] out = new byte[LENGTH];
    d.doFinal(out, 0);
    return out;
  }
}
