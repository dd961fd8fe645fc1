package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The native and Bouncy Castle backends must give the same bytes for every input. */
class BackendEquivalenceTest {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = Signature.N;
  private static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
  private static final long SEED = 0x5EED_0001L;

  private final Secp256k1 nat = Secp256k1Backends.nativeLibsecp256k1();
  private final Secp256k1 bc = Secp256k1Backends.bouncyCastle();

  @Test
  void randomKeysAndDigestsGiveIdenticalSignaturesAndRecoveries() {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 3000; i++) {
      byte[] keyBytes = new byte[32];
      rnd.nextBytes(keyBytes);
      byte[] digest = new byte[32];
      rnd.nextBytes(digest);
      String where = "case " + i + " (seed " + SEED + ")";
      // separate key objects so the native public-key cache cannot feed the Bouncy Castle result
      PrivateKey kn = PrivateKey.fromBytes(keyBytes);
      PrivateKey kb = PrivateKey.fromBytes(keyBytes);

      Signature sn = nat.sign(digest, kn);
      Signature sb = bc.sign(digest, kb);
      assertThat(sn.toBytes()).as(where).isEqualTo(sb.toBytes());
      assertThat(sn.isCanonical()).as(where).isTrue();

      Address signer = nat.address(kn);
      // key derivation is also covered by every signature above (native finds v from the public
      // key)
      if (i % 10 == 0) assertThat(bc.address(kb)).as(where).isEqualTo(signer);
      assertThat(nat.recoverAddress(digest, sn)).as(where).isEqualTo(signer);

      // a wrong digest recovers some other key, the same one on both backends
      digest[i % 32] ^= (byte) (1 << (i % 8));
      Address other = nat.recoverAddress(digest, sn);
      assertThat(other).as(where).isNotEqualTo(signer).isEqualTo(bc.recoverAddress(digest, sn));
    }
  }

  @Test
  void nativeSigningIsSafeFromManyThreads() throws Exception {
    int threads = 4;
    int perThread = 100;
    PrivateKey[] keys = new PrivateKey[threads];
    byte[][][] digests = new byte[threads][perThread][];
    Signature[][] expected = new Signature[threads][perThread];
    Random rnd = new Random(SEED + 1);
    for (int t = 0; t < threads; t++) {
      byte[] k = new byte[32];
      rnd.nextBytes(k);
      keys[t] = PrivateKey.fromBytes(k);
      for (int i = 0; i < perThread; i++) {
        digests[t][i] = new byte[32];
        rnd.nextBytes(digests[t][i]);
        expected[t][i] = bc.sign(digests[t][i], keys[t]);
      }
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        futures.add(
            pool.submit(
                () -> {
                  int mismatches = 0;
                  for (int i = 0; i < perThread; i++) {
                    Signature s = nat.sign(digests[tt][i], keys[tt]);
                    if (!s.equals(expected[tt][i])
                        || !bc.address(keys[tt]).equals(nat.recoverAddress(digests[tt][i], s)))
                      mismatches++;
                  }
                  return mismatches;
                }));
      }
      for (var f : futures) assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "digest {0}")
  @ValueSource(strings = {"00", "ff", "01"})
  void extremeDigestsSignIdentically(String fill) {
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) Integer.parseInt(fill, 16));
    Random rnd = new Random(SEED + fill.hashCode());
    for (int i = 0; i < 40; i++) {
      byte[] k = new byte[32];
      rnd.nextBytes(k);
      Signature sn = nat.sign(digest, PrivateKey.fromBytes(k));
      Signature sb = bc.sign(digest, PrivateKey.fromBytes(k));
      assertThat(sn).isEqualTo(sb);
      assertThat(nat.recoverAddress(digest, sn)).isEqualTo(bc.address(PrivateKey.fromBytes(k)));
    }
  }

  @ParameterizedTest(name = "private key {0}")
  @ValueSource(strings = {"1", "2", "n-1", "n-2", "2^255"})
  void extremeKeysSignIdentically(String which) {
    BigInteger d =
        switch (which) {
          case "n-1" -> N.subtract(BigInteger.ONE);
          case "n-2" -> N.subtract(BigInteger.TWO);
          case "2^255" -> BigInteger.ONE.shiftLeft(255);
          default -> new BigInteger(which);
        };
    PrivateKey k = PrivateKey.fromBytes(Signature.to32(d));
    byte[] digest = Keccak256.hash(new byte[] {1, 2, 3});
    Signature sn = nat.sign(digest, k);
    assertThat(sn).isEqualTo(bc.sign(digest, k));
    assertThat(nat.publicKey(k)).isEqualTo(bc.publicKey(k));
    assertThat(bc.recoverAddress(digest, sn)).isEqualTo(bc.address(k));
  }

  enum Expect {
    NO_KEY,
    SIGNER,
    OTHER_KEY
  }

  static Stream<Arguments> hostileRecoveries() {
    PrivateKey k = PrivateKey.fromBytes(Keccak256.hash("edge".getBytes()));
    byte[] digest = Keccak256.hash("digest".getBytes());
    Signature good = Secp256k1Backends.bouncyCastle().sign(digest, k);
    BigInteger r = good.rInt();
    BigInteger s = good.sInt();
    int v = good.v();
    BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);

    // sR = eG makes the recovered point infinity: pick R = 7G, s = 5, e = 35
    ECPoint r7 = CURVE.getG().multiply(BigInteger.valueOf(7)).normalize();
    BigInteger rInf = r7.getAffineXCoord().toBigInteger();
    int vInf = r7.getAffineYCoord().testBitZero() ? 1 : 0;

    return Stream.of(
        Arguments.of("the signature as made", digest, good, Expect.SIGNER),
        Arguments.of(
            "high-S twin (n - s, v flipped)",
            digest,
            Signature.of(r, N.subtract(s), v ^ 1),
            Expect.SIGNER),
        Arguments.of(
            "high-S, v not flipped", digest, Signature.of(r, N.subtract(s), v), Expect.OTHER_KEY),
        Arguments.of("v flipped", digest, Signature.of(r, s, v ^ 1), Expect.OTHER_KEY),
        Arguments.of("r = 0", digest, Signature.of(BigInteger.ZERO, s, v), Expect.NO_KEY),
        Arguments.of("s = 0", digest, Signature.of(r, BigInteger.ZERO, v), Expect.NO_KEY),
        Arguments.of("r = n", digest, Signature.of(N, s, v), Expect.NO_KEY),
        Arguments.of(
            "r = n + 1 (still below p)",
            digest,
            Signature.of(N.add(BigInteger.ONE), s, v),
            Expect.NO_KEY),
        Arguments.of("r = 2^256 - 1", digest, Signature.of(max, s, v), Expect.NO_KEY),
        Arguments.of("s = n", digest, Signature.of(r, N, v), Expect.NO_KEY),
        Arguments.of("s = 2^256 - 1", digest, Signature.of(r, max, v), Expect.NO_KEY),
        Arguments.of(
            "r is no x coordinate on the curve",
            digest,
            Signature.of(firstNonX(), s, v),
            Expect.NO_KEY),
        Arguments.of(
            "recovered point at infinity",
            Signature.to32(BigInteger.valueOf(35)),
            Signature.of(rInf, BigInteger.valueOf(5), vInf),
            Expect.NO_KEY),
        Arguments.of(
            "digest all zeros",
            zeros,
            Secp256k1Backends.bouncyCastle().sign(zeros, k),
            Expect.SIGNER),
        Arguments.of(
            "digest all 0xff (above n)",
            ones,
            Secp256k1Backends.bouncyCastle().sign(ones, k),
            Expect.SIGNER),
        Arguments.of(
            "r = 1, s = 1",
            digest,
            Signature.of(BigInteger.ONE, BigInteger.ONE, 0),
            Expect.OTHER_KEY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRecoveries")
  void hostileSignaturesRecoverIdenticallyAndNeverThrow(
      String name, byte[] digest, Signature sig, Expect expect) {
    PrivateKey k = PrivateKey.fromBytes(Keccak256.hash("edge".getBytes()));
    byte[] fromNative = nat.recoverPublicKey(digest, sig);
    byte[] fromBc = bc.recoverPublicKey(digest, sig);
    assertThat(fromNative).isEqualTo(fromBc);
    switch (expect) {
      case NO_KEY -> assertThat(nat.recoverAddress(digest, sig)).isNull();
      case SIGNER -> assertThat(nat.recoverAddress(digest, sig)).isEqualTo(bc.address(k));
      case OTHER_KEY ->
          assertThat(nat.recoverAddress(digest, sig)).isNotNull().isNotEqualTo(bc.address(k));
    }
  }

  @ParameterizedTest(name = "v = {0}")
  @ValueSource(ints = {-1, 2, 3, 27, 28, 255})
  void recoveryIdsOtherThanZeroAndOneAreRejectedAtConstruction(int v) {
    assertThatThrownBy(() -> Signature.of(new byte[32], new byte[32], v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 0 or 1, got " + v);
    byte[] wire = new byte[65];
    wire[64] = (byte) v;
    assertThatThrownBy(() -> Signature.fromBytes(wire))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}-byte digest")
  @ValueSource(ints = {0, 31, 33})
  void bothBackendsRejectDigestsThatAreNot32Bytes(int length) {
    PrivateKey k = PrivateKey.fromBytes(Keccak256.hash(new byte[1]));
    Signature sig = bc.sign(new byte[32], k);
    for (Secp256k1 b : new Secp256k1[] {nat, bc}) {
      assertThatThrownBy(() -> b.sign(new byte[length], k))
          .hasMessageContaining("a digest is 32 bytes, got " + length);
      assertThatThrownBy(() -> b.recoverPublicKey(new byte[length], sig))
          .hasMessageContaining("got " + length);
    }
  }

  @Test
  void destroyedKeysCannotSign() {
    PrivateKey k = PrivateKey.fromBytes(Keccak256.hash(new byte[2]));
    nat.sign(new byte[32], k);
    k.destroy();
    assertThatThrownBy(() -> nat.sign(new byte[32], k)).hasMessageContaining("destroyed");
    assertThatThrownBy(() -> bc.sign(new byte[32], k)).hasMessageContaining("destroyed");
  }

  /** The smallest r >= 1 for which r^3 + 7 has no square root mod p. */
  private static BigInteger firstNonX() {
    BigInteger exp = P.subtract(BigInteger.ONE).shiftRight(1);
    for (BigInteger x = BigInteger.ONE; ; x = x.add(BigInteger.ONE)) {
      BigInteger c = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
      if (c.modPow(exp, P).equals(P.subtract(BigInteger.ONE))) return x;
    }
  }
}
