package dev.vigil.signing.keystore;

import dev.vigil.signing.Address;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The devnet's guardian keys: key {@code i} is keccak256("vigil-devnet-guardian-" + i). Anyone can
 * derive them, so they are for local devnets and tests only; the committees in {@code
 * cluster-configs/devnet}, {@code local-4} and {@code local-7} are made of them.
 */
public final class DevKeys {
  public static final String SEED_PREFIX = "vigil-devnet-guardian-";
  public static final int MAX_INDEX = 254;

  private DevKeys() {}

  /** Dev key {@code i} (0..254); the caller destroys it after use. */
  public static PrivateKey key(int i) {
    if (i < 0 || i > MAX_INDEX)
      throw new IllegalArgumentException("dev key index must be 0.." + MAX_INDEX + ", got " + i);
    // keccak256 of this text is a valid secp256k1 key for every i in range (checked by DevKeysTest)
    return PrivateKey.fromBytes(
        Keccak256.hash((SEED_PREFIX + i).getBytes(StandardCharsets.US_ASCII)));
  }

  public static Address address(int i) {
    PrivateKey k = key(i);
    try {
      return Secp256k1Backends.preferred().address(k);
    } finally {
      k.destroy();
    }
  }

  /** Whether {@code a} is one of the public dev keys' addresses (anyone can sign as it). */
  public static boolean isDevKey(Address a) {
    return Known.ADDRESSES.contains(a);
  }

  private static final class Known { // computed on first use: 255 key derivations
    static final java.util.Set<Address> ADDRESSES =
        java.util.stream.IntStream.rangeClosed(0, MAX_INDEX)
            .mapToObj(DevKeys::address)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Writes dev key {@code i} to a new key file, encrypted with scrypt's light parameters (these
   * keys protect nothing, and a devnet unlocks many of them at start).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code out} exists
   */
  public static Address writeKeyFile(int i, Path out, char[] password) throws IOException {
    PrivateKey k = key(i);
    try {
      return KeyFile.create(out, password, k, KdfParams.LIGHT);
    } finally {
      k.destroy();
    }
  }
}
