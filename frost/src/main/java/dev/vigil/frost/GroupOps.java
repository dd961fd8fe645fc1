package dev.vigil.frost;

import dev.vigil.signing.Secp256k1Backends;
import java.math.BigInteger;
import java.util.Locale;

/**
 * secp256k1 point arithmetic for FROST. Points are 33-byte SEC1 compressed encodings; the identity
 * (point at infinity), which SEC1 cannot compress, is 33 zero bytes ({@link #identity()}). Scalars
 * are in [0, n). Every implementation gives the same bytes for the same input.
 *
 * <p>Inputs are expected to be valid points (FROST checks what it receives before it computes); an
 * invalid encoding still fails with an IllegalArgumentException rather than a wrong result.
 */
public interface GroupOps {
  /** A short name for benchmarks: "bouncycastle" or "native". */
  String name();

  /** k * G. */
  byte[] mulBase(BigInteger k);

  /** k * P. */
  byte[] mul(byte[] p, BigInteger k);

  /** P + Q. */
  byte[] add(byte[] p, byte[] q);

  /** The 65-byte uncompressed encoding (04 || x || y) of a compressed point. */
  byte[] decompress(byte[] compressed33);

  /** The 33-byte compressed encoding of an uncompressed point (04 || x || y). */
  byte[] compress(byte[] uncompressed65);

  /** The identity element as these operations encode it: 33 zero bytes. */
  static byte[] identity() {
    return new byte[Ciphersuite.ELEMENT_SIZE];
  }

  /** Pure Java (Bouncy Castle): always available. */
  static GroupOps bouncyCastle() {
    return BouncyCastleGroupOps.INSTANCE;
  }

  /**
   * libsecp256k1 (secp256k1-kmp's JNI, the library the signing module uses), checked against Bouncy
   * Castle once when first used.
   *
   * @throws IllegalStateException naming why the native library cannot be used
   */
  static GroupOps nativeLibsecp256k1() {
    return NativeGroupOps.loaded();
  }

  /**
   * Native when it loads and the system property {@value Secp256k1Backends#PROPERTY} does not force
   * {@code bouncycastle}, else Bouncy Castle (the signing module logs why native did not load).
   */
  static GroupOps preferred() {
    String forced = System.getProperty(Secp256k1Backends.PROPERTY, "");
    if (forced.strip().toLowerCase(Locale.ROOT).equals(Secp256k1Backends.BOUNCY_CASTLE_NAME)) {
      return bouncyCastle();
    }
    return NativeGroupOps.available() ? NativeGroupOps.loaded() : bouncyCastle();
  }
}
