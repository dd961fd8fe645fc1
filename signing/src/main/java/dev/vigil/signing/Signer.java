package dev.vigil.signing;

/** Something that signs 32-byte digests with one key and says whose key it is. */
public interface Signer {
  Address address();

  /** Signs the digest as is (no message prefix): a canonical, low-S, recoverable signature. */
  Signature sign(byte[] digest32);
}
