package dev.vigil.signing;

/**
 * A secp256k1 backend: deterministic (RFC 6979) low-S recoverable signatures over 32-byte digests,
 * and public-key recovery. All backends give byte-identical results for the same input.
 */
public interface Secp256k1 {
  /** A short name for logs and benchmarks, e.g. "native" or "bouncycastle". */
  String name();

  /** Signs a 32-byte digest as is (no Ethereum message prefix). */
  Signature sign(byte[] digest32, PrivateKey key);

  /** The 64-byte uncompressed public key (x || y) of a private key. */
  byte[] publicKey(PrivateKey key);

  /**
   * Recovers the 64-byte public key (x || y) that made {@code sig} over {@code digest32}, or null
   * when no key does (r or s out of range, no curve point for r). Never throws on hostile input
   * other than a digest that is not 32 bytes.
   */
  byte[] recoverPublicKey(byte[] digest32, Signature sig);

  default Address address(PrivateKey key) {
    return Address.fromPublicKey(publicKey(key));
  }

  /** The address that made the signature, or null when it does not recover. */
  default Address recoverAddress(byte[] digest32, Signature sig) {
    byte[] pub = recoverPublicKey(digest32, sig);
    return pub == null ? null : Address.fromPublicKey(pub);
  }

  static void checkDigest(byte[] digest32) {
    if (digest32 == null || digest32.length != 32) {
      throw new IllegalArgumentException(
          "a digest is 32 bytes, got " + (digest32 == null ? "null" : digest32.length));
    }
  }
}
