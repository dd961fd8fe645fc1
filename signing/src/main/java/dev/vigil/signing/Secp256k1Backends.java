package dev.vigil.signing;

/** Chooses a secp256k1 backend. */
public final class Secp256k1Backends {
  private static final Secp256k1 BOUNCY_CASTLE = new BouncyCastleSecp256k1();

  private Secp256k1Backends() {}

  public static Secp256k1 bouncyCastle() {
    return BOUNCY_CASTLE;
  }

  /** The preferred backend for this process. */
  public static Secp256k1 preferred() {
    return BOUNCY_CASTLE;
  }
}
