package dev.vigil.frost;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * FROST(secp256k1, SHA-256), RFC 9591 section 6.5: the hash functions H1 to H5, scalar and element
 * (de)serialization, and nonce generation. Scalars are {@link BigInteger}s in [0, n); elements are
 * 33-byte SEC1 compressed points.
 */
final class Ciphersuite {
  static final String CONTEXT_STRING = "FROST-secp256k1-SHA256-v1";

  /** The order n of secp256k1's group. */
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  static final int SCALAR_SIZE = 32;
  static final int ELEMENT_SIZE = 33;

  /** expand_message_xmd output length for hash_to_field: ceil((ceil(log2(n)) + 128) / 8). */
  private static final int L = 48;

  private static final int SHA256_BLOCK = 64;

  private Ciphersuite() {}

  static BigInteger h1(byte[] m) {
    return hashToField(m, dst("rho"));
  }

  static BigInteger h2(byte[] m) {
    return hashToField(m, dst("chal"));
  }

  static BigInteger h3(byte[] m) {
    return hashToField(m, dst("nonce"));
  }

  static byte[] h4(byte[] m) {
    return sha256(dst("msg"), m);
  }

  static byte[] h5(byte[] m) {
    return sha256(dst("com"), m);
  }

  /** nonce_generate(secret): H3(random_bytes(32) || SerializeScalar(secret)). */
  static BigInteger nonceGenerate(byte[] random32, BigInteger secret) {
    if (random32.length != 32) {
      throw new IllegalArgumentException(
          "nonce randomness is 32 bytes, got " + random32.length + " bytes");
    }
    byte[] secretEnc = serializeScalar(secret);
    try {
      return h3(concat(random32, secretEnc));
    } finally {
      Arrays.fill(secretEnc, (byte) 0);
    }
  }

  private static byte[] dst(String tag) {
    return (CONTEXT_STRING + tag).getBytes(StandardCharsets.US_ASCII);
  }

  /** hash_to_field(m, 1) of RFC 9380 section 5.2 with expand_message_xmd(SHA-256), p = n. */
  static BigInteger hashToField(byte[] msg, byte[] dst) {
    return new BigInteger(1, expandMessageXmd(msg, dst, L)).mod(N);
  }

  /** expand_message_xmd of RFC 9380 section 5.3.1 with SHA-256. */
  static byte[] expandMessageXmd(byte[] msg, byte[] dst, int lenInBytes) {
    if (dst.length > 255) throw new IllegalArgumentException("DST longer than 255 bytes");
    int ell = (lenInBytes + 31) / 32;
    if (ell > 255 || lenInBytes > 65535) {
      throw new IllegalArgumentException("expand_message_xmd output too long: " + lenInBytes);
    }
    byte[] dstPrime = concat(dst, new byte[] {(byte) dst.length});
    MessageDigest h = sha256();
    h.update(new byte[SHA256_BLOCK]); // Z_pad
    h.update(msg);
    h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
    h.update(dstPrime);
    byte[] b0 = h.digest();
    byte[] out = new byte[ell * 32];
    byte[] prev = new byte[32];
    for (int i = 1; i <= ell; i++) {
      byte[] x = new byte[32];
      for (int j = 0; j < 32; j++) x[j] = (byte) (b0[j] ^ (i == 1 ? 0 : prev[j]));
      h.update(x);
      h.update((byte) i);
      h.update(dstPrime);
      prev = h.digest();
      System.arraycopy(prev, 0, out, (i - 1) * 32, 32);
    }
    return Arrays.copyOf(out, lenInBytes);
  }

  /** SerializeScalar: 32 bytes, big-endian. */
  static byte[] serializeScalar(BigInteger s) {
    if (s.signum() < 0 || s.compareTo(N) >= 0) {
      throw new IllegalArgumentException("scalar out of range [0, n)");
    }
    byte[] raw = s.toByteArray();
    byte[] out = new byte[SCALAR_SIZE];
    if (raw.length > SCALAR_SIZE) {
      System.arraycopy(raw, raw.length - SCALAR_SIZE, out, 0, SCALAR_SIZE);
    } else {
      System.arraycopy(raw, 0, out, SCALAR_SIZE - raw.length, raw.length);
    }
    Arrays.fill(raw, (byte) 0);
    return out;
  }

  /**
   * DeserializeScalar: 32 big-endian bytes, below n. {@code what} names the value in the error,
   * which never echoes the bytes (they may be secret).
   */
  static BigInteger deserializeScalar(byte[] b, String what) {
    if (b == null) throw new IllegalArgumentException(what + " is missing (null)");
    if (b.length != SCALAR_SIZE) {
      throw new IllegalArgumentException(
          what + " must be a " + SCALAR_SIZE + "-byte scalar, got " + b.length + " bytes");
    }
    BigInteger s = new BigInteger(1, b);
    if (s.compareTo(N) >= 0) {
      throw new IllegalArgumentException(
          what + " is not a scalar: it is not below the group order n");
    }
    return s;
  }

  /** A scalar that must also be non-zero (secret shares, nonces, keys). */
  static BigInteger deserializeNonZeroScalar(byte[] b, String what) {
    BigInteger s = deserializeScalar(b, what);
    if (s.signum() == 0) throw new IllegalArgumentException(what + " is zero");
    return s;
  }

  /**
   * DeserializeElement: checks a 33-byte compressed point (prefix 0x02/0x03, x on the curve, not
   * the identity) and returns a copy. {@code what} names the value in the error.
   */
  static byte[] checkElement(byte[] b, String what) {
    if (b == null) throw new IllegalArgumentException(what + " is missing (null)");
    if (isIdentityEncoding(b)) {
      throw new IllegalArgumentException(
          what + " is the identity element (point at infinity), which FROST never accepts");
    }
    if (b.length != ELEMENT_SIZE) {
      throw new IllegalArgumentException(
          what
              + " must be a "
              + ELEMENT_SIZE
              + "-byte compressed point, got "
              + b.length
              + " bytes");
    }
    if (b[0] != 0x02 && b[0] != 0x03) {
      throw new IllegalArgumentException(
          what
              + " must be a compressed point starting 02 or 03, got prefix "
              + String.format("%02x", b[0] & 0xff));
    }
    if (!BouncyCastleGroupOps.isOnCurve(b)) {
      throw new IllegalArgumentException(
          what + " is not a point on secp256k1 (its x-coordinate has no curve point)");
    }
    return b.clone();
  }

  /** The identity as SEC1 encodes it (one 0x00 byte) or as {@link GroupOps} does (33 zeros). */
  static boolean isIdentityEncoding(byte[] b) {
    if (b.length != 1 && b.length != ELEMENT_SIZE) return false;
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  /** An identifier as a scalar: identifiers are 1, 2, 3, ... */
  static byte[] serializeIdentifier(int identifier) {
    checkIdentifier(identifier);
    return serializeScalar(BigInteger.valueOf(identifier));
  }

  static int checkIdentifier(int identifier) {
    if (identifier < 1) {
      throw new IllegalArgumentException(
          "a participant identifier is a positive integer, got " + identifier);
    }
    return identifier;
  }

  static byte[] sha256(byte[]... parts) {
    MessageDigest h = sha256();
    for (byte[] p : parts) h.update(p);
    return h.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) len += p.length;
    byte[] out = new byte[len];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
