package dev.vigil.signing;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Pure-Java secp256k1 over Bouncy Castle: the fallback when the native library cannot load. */
final class BouncyCastleSecp256k1 implements Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public Signature sign(byte[] digest32, PrivateKey key) {
    Secp256k1.checkDigest(digest32);
    BigInteger d = key.toBigInteger();
    BigInteger e = new BigInteger(1, digest32);
    HMacDSAKCalculator kCalc = new HMacDSAKCalculator(new SHA256Digest());
    kCalc.init(N, d, digest32);
    FixedPointCombMultiplier mul = new FixedPointCombMultiplier();
    while (true) {
      BigInteger k = kCalc.nextK();
      ECPoint rPoint = mul.multiply(CURVE.getG(), k).normalize();
      BigInteger rx = rPoint.getAffineXCoord().toBigInteger();
      BigInteger r = rx.mod(N);
      if (r.signum() == 0) continue;
      BigInteger s = k.modInverse(N).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) continue;
      int recId = (rPoint.getAffineYCoord().testBitZero() ? 1 : 0) | (rx.compareTo(N) >= 0 ? 2 : 0);
      if (s.compareTo(Signature.HALF_N) > 0) {
        s = N.subtract(s);
        recId ^= 1;
      }
      if (recId > 1) continue; // r >= n happens with probability ~2^-127; v must stay in {0, 1}
      return Signature.of(r, s, recId);
    }
  }

  @Override
  public byte[] publicKey(PrivateKey key) {
    ECPoint q =
        new FixedPointCombMultiplier().multiply(CURVE.getG(), key.toBigInteger()).normalize();
    return encode(q);
  }

  @Override
  public byte[] recoverPublicKey(byte[] digest32, Signature sig) {
    Secp256k1.checkDigest(digest32);
    BigInteger r = sig.rInt();
    BigInteger s = sig.sInt();
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0)
      return null;
    if (r.compareTo(P) >= 0) return null;
    ECPoint rPoint;
    try {
      byte[] compressed = new byte[33];
      compressed[0] = (byte) (sig.v() == 1 ? 0x03 : 0x02);
      System.arraycopy(Signature.to32(r), 0, compressed, 1, 32);
      rPoint = CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
    BigInteger e = new BigInteger(1, digest32);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, rPoint, u2).normalize();
    if (q.isInfinity()) return null;
    return encode(q);
  }

  private static byte[] encode(ECPoint q) {
    byte[] enc = q.getEncoded(false); // 0x04 || x || y
    byte[] out = new byte[64];
    System.arraycopy(enc, 1, out, 0, 64);
    return out;
  }
}
