package dev.vigil.signing.keystore;

import dev.vigil.signing.Address;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.io.IOException;
import java.nio.file.Path;

/** A {@link Signer} whose key comes from an encrypted key file, decrypted once at load. */
public final class KeyFileSigner implements Signer {
  private final Path path;
  private final PrivateKey key;
  private final LocalKeySigner signer;

  private KeyFileSigner(Path path, PrivateKey key, Secp256k1 backend) {
    this.path = path;
    this.key = key;
    this.signer = new LocalKeySigner(key, backend);
  }

  /** Loads with the {@linkplain Secp256k1Backends#preferred() preferred} backend. */
  public static KeyFileSigner load(Path path, char[] password) throws IOException {
    return load(path, password, Secp256k1Backends.preferred());
  }

  /**
   * @throws KeyFileException see {@link KeyFile#load(Path, char[])}
   */
  public static KeyFileSigner load(Path path, char[] password, Secp256k1 backend)
      throws IOException {
    return new KeyFileSigner(path, KeyFile.load(path, password), backend);
  }

  @Override
  public Address address() {
    return signer.address();
  }

  @Override
  public Signature sign(byte[] digest32) {
    return signer.sign(digest32);
  }

  public Path path() {
    return path;
  }

  /** Wipes the decrypted key; signing afterwards fails. */
  public void destroy() {
    key.destroy();
  }

  @Override
  public String toString() {
    return "KeyFileSigner[" + signer.address() + " from " + path + "]";
  }
}
