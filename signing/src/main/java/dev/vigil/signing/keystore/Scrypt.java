package dev.vigil.signing.keystore;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * scrypt (RFC 7914) on Bouncy Castle's PBKDF2 and Salsa20 core. Bouncy Castle's own {@code
 * SCrypt.generate} enforces N < 2^(16·r), which rejects files geth writes and reads (the Web3
 * Secret Storage test vector has N = 2^18, r = 1); geth and web3j do not enforce it.
 */
final class Scrypt {
  private Scrypt() {}

  /** Parameters must already be checked by {@link KdfParams#problem}. */
  static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
    int blockInts = 32 * r; // 128·r bytes
    byte[] b = pbkdf2Sha256(password, salt, p * 128 * r);
    int[] x = new int[blockInts];
    int[] v = new int[n * blockInts];
    int[] t = new int[16];
    int[] xs = new int[16];
    int[] y = new int[blockInts];
    for (int i = 0; i < p; i++) {
      int off = i * 128 * r;
      for (int k = 0; k < blockInts; k++) x[k] = le32(b, off + 4 * k);
      roMix(x, v, t, xs, y, n, r);
      for (int k = 0; k < blockInts; k++) put32(b, off + 4 * k, x[k]);
    }
    java.util.Arrays.fill(v, 0);
    java.util.Arrays.fill(x, 0);
    byte[] dk = pbkdf2Sha256(password, b, dkLen);
    java.util.Arrays.fill(b, (byte) 0);
    return dk;
  }

  private static void roMix(int[] x, int[] v, int[] t, int[] xs, int[] y, int n, int r) {
    int len = x.length;
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, v, i * len, len);
      blockMix(x, t, xs, y, r);
    }
    int mask = n - 1;
    for (int i = 0; i < n; i++) {
      int j = x[(2 * r - 1) * 16] & mask; // Integerify: first word of the last 64-byte block
      int vo = j * len;
      for (int k = 0; k < len; k++) x[k] ^= v[vo + k];
      blockMix(x, t, xs, y, r);
    }
  }

  /** B ← BlockMix_salsa20/8(B): even output blocks first, then odd ones. */
  private static void blockMix(int[] b, int[] t, int[] xs, int[] y, int r) {
    System.arraycopy(b, (2 * r - 1) * 16, xs, 0, 16);
    for (int i = 0; i < 2 * r; i++) {
      for (int k = 0; k < 16; k++) t[k] = xs[k] ^ b[i * 16 + k];
      Salsa20Engine.salsaCore(8, t, xs);
      int dst = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
      System.arraycopy(xs, 0, y, dst, 16);
    }
    System.arraycopy(y, 0, b, 0, b.length);
  }

  private static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int length) {
    PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
    gen.init(password, salt, 1);
    return ((KeyParameter) gen.generateDerivedParameters(length * 8)).getKey();
  }

  private static int le32(byte[] b, int o) {
    return (b[o] & 0xff)
        | (b[o + 1] & 0xff) << 8
        | (b[o + 2] & 0xff) << 16
        | (b[o + 3] & 0xff) << 24;
  }

  private static void put32(byte[] b, int o, int v) {
    b[o] = (byte) v;
    b[o + 1] = (byte) (v >>> 8);
    b[o + 2] = (byte) (v >>> 16);
    b[o + 3] = (byte) (v >>> 24);
  }
}
