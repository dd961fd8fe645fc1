package dev.vigil.signing.testing;

import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic test keys: key {@code i} is the same in every run and every module. Never for real
 * use.
 */
public final class TestKeys {
  private TestKeys() {}

  /** keccak256("vigil test key " + i) as a private key. */
  public static PrivateKey key(int i) {
    return PrivateKey.fromBytes(
        Keccak256.hash(("vigil test key " + i).getBytes(StandardCharsets.US_ASCII)));
  }

  /** A signer over {@link #key(int)} with the preferred backend. */
  public static Signer signer(int i) {
    return new LocalKeySigner(key(i), Secp256k1Backends.preferred());
  }
}
