package dev.vigil.frost;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** {@link GroupOps} over Bouncy Castle's secp256k1 (pure Java). */
final class BouncyCastleGroupOps implements GroupOps {
  static final BouncyCastleGroupOps INSTANCE = new BouncyCastleGroupOps();

  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECCurve CURVE = PARAMS.getCurve();
  private static final ECPoint G = PARAMS.getG();

  private BouncyCastleGroupOps() {}

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public byte[] mulBase(BigInteger k) {
    checkScalar(k);
    return encode(new FixedPointCombMultiplier().multiply(G, k));
  }

  @Override
  public byte[] mul(byte[] p, BigInteger k) {
    checkScalar(k);
    return encode(decode(p).multiply(k));
  }

  @Override
  public byte[] add(byte[] p, byte[] q) {
    return encode(decode(p).add(decode(q)));
  }

  @Override
  public byte[] decompress(byte[] compressed33) {
    if (compressed33.length != Ciphersuite.ELEMENT_SIZE
        || Ciphersuite.isIdentityEncoding(compressed33)) {
      throw new IllegalArgumentException("not a 33-byte compressed point");
    }
    return decode(compressed33).getEncoded(false);
  }

  @Override
  public byte[] compress(byte[] uncompressed65) {
    if (uncompressed65.length != 65 || uncompressed65[0] != 0x04) {
      throw new IllegalArgumentException("not a 65-byte uncompressed point (04 || x || y)");
    }
    return encode(CURVE.decodePoint(uncompressed65));
  }

  /** Whether a 33-byte 02/03 encoding has a point on the curve (x < p and x^3 + 7 a square). */
  static boolean isOnCurve(byte[] compressed33) {
    try {
      CURVE.decodePoint(compressed33);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ECPoint decode(byte[] p) {
    if (Ciphersuite.isIdentityEncoding(p)) return CURVE.getInfinity();
    return CURVE.decodePoint(p); // IllegalArgumentException for anything not on the curve
  }

  private static byte[] encode(ECPoint p) {
    ECPoint n = p.normalize();
    return n.isInfinity() ? GroupOps.identity() : n.getEncoded(true);
  }

  private static void checkScalar(BigInteger k) {
    if (k.signum() < 0 || k.compareTo(Ciphersuite.N) >= 0) {
      throw new IllegalArgumentException("scalar out of range [0, n)");
    }
  }
}
