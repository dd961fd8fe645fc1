package dev.vigil.signing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private key. Its bytes never appear in {@link #toString()}, logs or exception
 * messages; {@link #destroy()} wipes them when the key is no longer needed.
 */
public final class PrivateKey {
  private final byte[] key;
  private volatile boolean destroyed;
  // Public, not secret: cached because the native backend needs it for every signature.
  private volatile byte[] publicKey;

  private PrivateKey(byte[] key) {
    this.key = key;
  }

  /** Wraps 32 big-endian bytes; rejects 0 and values >= the group order (without echoing them). */
  public static PrivateKey fromBytes(byte[] key32) {
    if (key32.length != 32) {
      throw new IllegalArgumentException("a private key is 32 bytes, got " + key32.length);
    }
    BigInteger d = new BigInteger(1, key32);
    if (d.signum() == 0 || d.compareTo(Signature.N) >= 0) {
      throw new IllegalArgumentException("private key is out of range for secp256k1");
    }
    return new PrivateKey(key32.clone());
  }

  public static PrivateKey random(SecureRandom random) {
    byte[] b = new byte[32];
    while (true) {
      random.nextBytes(b);
      BigInteger d = new BigInteger(1, b);
      if (d.signum() > 0 && d.compareTo(Signature.N) < 0) return new PrivateKey(b);
    }
  }

  /** A copy of the raw key bytes; the caller should wipe it after use. */
  public byte[] toBytes() {
    if (destroyed) throw new IllegalStateException("private key was destroyed");
    return key.clone();
  }

  BigInteger toBigInteger() {
    if (destroyed) throw new IllegalStateException("private key was destroyed");
    return new BigInteger(1, key);
  }

  byte[] cachedPublicKey() {
    if (destroyed) throw new IllegalStateException("private key was destroyed");
    return publicKey;
  }

  void cachePublicKey(byte[] uncompressed64) {
    publicKey = uncompressed64.clone();
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  public void destroy() {
    destroyed = true;
    publicKey = null;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public String toString() {
    return "PrivateKey[redacted]";
  }
}
