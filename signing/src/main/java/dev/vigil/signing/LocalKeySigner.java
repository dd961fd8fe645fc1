package dev.vigil.signing;

/** A {@link Signer} over a private key held in memory. */
public final class LocalKeySigner implements Signer {
  private final PrivateKey key;
  private final Secp256k1 backend;
  private final Address address;

  public LocalKeySigner(PrivateKey key, Secp256k1 backend) {
    this.key = key;
    this.backend = backend;
    this.address = backend.address(key);
  }

  @Override
  public Address address() {
    return address;
  }

  @Override
  public Signature sign(byte[] digest32) {
    return backend.sign(digest32, key);
  }

  @Override
  public String toString() {
    return "LocalKeySigner[" + address + ", " + backend.name() + "]";
  }
}
