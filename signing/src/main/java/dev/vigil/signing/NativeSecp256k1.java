package dev.vigil.signing;

import fr.acinq.secp256k1.Secp256k1Exception;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * secp256k1 over libsecp256k1 (JNI, secp256k1-kmp). Signing happens inside libsecp256k1 (RFC 6979,
 * constant time, always low-S), so the nonce never exists in Java memory.
 *
 * <p>secp256k1-kmp exposes no recoverable signing, only plain {@code secp256k1_ecdsa_sign}. So
 * signatures are made by {@code secp256k1_ecdsa_sign_recoverable} of the same bundled library,
 * called through JNA ({@link JnaRecoverableSigner}), which returns the recovery id with the
 * signature. When that path cannot load, the recovery id is found the old way: recover with v = 0
 * and compare with the signer's public key (cached on the {@link PrivateKey}), which only touches
 * public data but costs about as much as the signature. Recovery and key derivation always use JNI.
 */
final class NativeSecp256k1 implements Secp256k1 {
  private static final Logger LOG = LoggerFactory.getLogger(NativeSecp256k1.class);
  private static final BigInteger N = Signature.N;
  private static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

  /** Below this r, the nonce point's x may have been r + n (recovery id 2 or 3). */
  private static final BigInteger OVERFLOW_LIMIT = P.subtract(N);

  /** How {@link #sign} finds the recovery id. */
  enum SignPath {
    /** secp256k1_ecdsa_sign_recoverable through JNA: one native call gives r, s and v. */
    RECOVERABLE("secp256k1_ecdsa_sign_recoverable via JNA"),
    /**
     * secp256k1_ecdsa_sign through JNI, then v from a public-key recovery against the signer's key.
     */
    SIGN_THEN_RECOVER("secp256k1_ecdsa_sign via JNI + recovery to find v");

    final String description;

    SignPath(String description) {
      this.description = description;
    }
  }

  private final fr.acinq.secp256k1.Secp256k1 lib;

  /** Null when signing goes through {@link SignPath#SIGN_THEN_RECOVER}. */
  private final JnaRecoverableSigner recoverable;

  private final Secp256k1 fallback;

  private NativeSecp256k1(
      fr.acinq.secp256k1.Secp256k1 lib, JnaRecoverableSigner recoverable, Secp256k1 fallback) {
    this.lib = lib;
    this.recoverable = recoverable;
    this.fallback = fallback;
  }

  /**
   * Loads libsecp256k1 and checks it against the reference backend on one signature and one
   * recovery, so that a broken native build is never used. Signs through JNA's recoverable path
   * when it loads and passes the same check, else through sign-then-recover; logs once at INFO
   * which.
   *
   * <p>Throws whatever made loading fail (an Error such as UnsatisfiedLinkError or
   * ExceptionInInitializerError, or an IllegalStateException from the self-test).
   */
  static NativeSecp256k1 load(Secp256k1 reference) {
    return load(reference, true);
  }

  /** {@code allowRecoverable = false} forces sign-then-recover (tests of that path). */
  static NativeSecp256k1 load(Secp256k1 reference, boolean allowRecoverable) {
    fr.acinq.secp256k1.Secp256k1 lib = loadLibrary();
    if (!allowRecoverable) {
      NativeSecp256k1 n = new NativeSecp256k1(lib, null, reference);
      selfTest(n, reference);
      return n;
    }
    String whyNot;
    boolean wrongBytes = false;
    try {
      NativeSecp256k1 n = new NativeSecp256k1(lib, JnaRecoverableSigner.shared(), reference);
      selfTest(n, reference);
      LOG.info("native libsecp256k1 signs with {}", SignPath.RECOVERABLE.description);
      return n;
    } catch (JnaRecoverableSigner.UnavailableException e) {
      whyNot = Secp256k1Backends.describe(e.getCause());
    } catch (LinkageError e) { // JNA's classes are not on the classpath
      whyNot = Secp256k1Backends.describe(e);
    } catch (
        IllegalStateException
            e) { // the self-test: loaded, but gives other bytes than the reference
      whyNot = Secp256k1Backends.describe(e);
      wrongBytes = true;
    }
    NativeSecp256k1 n = new NativeSecp256k1(lib, null, reference);
    selfTest(n, reference);
    String message =
        "native libsecp256k1 signs with {} (same signatures, one extra recovery per signature);"
            + " recoverable signing through JNA is unavailable: {}";
    // a library that loads but signs differently is a defect worth a warning; a missing JNA is not
    if (wrongBytes) LOG.warn(message, SignPath.SIGN_THEN_RECOVER.description, whyNot);
    else LOG.info(message, SignPath.SIGN_THEN_RECOVER.description, whyNot);
    return n;
  }

  private static void selfTest(NativeSecp256k1 n, Secp256k1 reference) {
    byte[] seed = Keccak256.hash("vigil native self-test".getBytes(StandardCharsets.US_ASCII));
    PrivateKey k = PrivateKey.fromBytes(seed);
    byte[] digest = Keccak256.hash(seed);
    Signature expected = reference.sign(digest, k);
    Signature actual = n.sign(digest, k);
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "self-test failed: native signature ("
              + n.signPath().description
              + ") differs from Bouncy Castle's");
    }
    if (!Arrays.equals(reference.publicKey(k), n.recoverPublicKey(digest, actual))) {
      throw new IllegalStateException(
          "self-test failed: native recovery differs from Bouncy Castle's");
    }
  }

  /**
   * Extracts and loads the bundled .so. Goes through the Companion (the library's own entry point):
   * calling the JNI loader first makes the library initialise itself recursively and fail.
   */
  private static fr.acinq.secp256k1.Secp256k1 loadLibrary() {
    return fr.acinq.secp256k1.Secp256k1.Companion.get();
  }

  SignPath signPath() {
    return recoverable != null ? SignPath.RECOVERABLE : SignPath.SIGN_THEN_RECOVER;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public Signature sign(byte[] digest32, PrivateKey key) {
    Secp256k1.checkDigest(digest32);
    if (recoverable == null) return signThenRecover(digest32, key);
    byte[] compact65 = withKeyBytes(key, d -> recoverable.sign(digest32, d));
    return fromRecoverable(compact65, () -> fallback.sign(digest32, key));
  }

  /**
   * r || s || recovery id from secp256k1_ecdsa_sign_recoverable as a {@link Signature}. Recovery
   * ids 2 and 3 mean x(kG) >= n (probability ~2^-128): Bouncy Castle then retries with the next RFC
   * 6979 nonce and libsecp256k1 does not, so the reference signs instead and both backends still
   * give the same bytes.
   */
  static Signature fromRecoverable(byte[] compact65, Supplier<Signature> reference) {
    int recId = compact65[64];
    if (recId < 0 || recId > 3)
      throw new IllegalStateException("libsecp256k1 returned recovery id " + recId);
    if (recId > 1) return reference.get();
    return Signature.of(
        Arrays.copyOfRange(compact65, 0, 32), Arrays.copyOfRange(compact65, 32, 64), recId);
  }

  private Signature signThenRecover(byte[] digest32, PrivateKey key) {
    byte[] pub = publicKey(key);
    byte[] compact = withKeyBytes(key, d -> lib.sign(digest32, d));
    BigInteger r = new BigInteger(1, compact, 0, 32);
    int v;
    if (Arrays.equals(recoverOrNull(compact, digest32, 0), pub)) {
      v = 0;
    } else if (r.compareTo(OVERFLOW_LIMIT) >= 0) {
      // r + n >= p, so the nonce point's x is r itself and v = 1 is the only other choice
      v = 1;
    } else if (Arrays.equals(recoverOrNull(compact, digest32, 1), pub)) {
      v = 1;
    } else {
      // x(kG) >= n (probability ~2^-128): Bouncy Castle retries with the next RFC 6979 nonce and
      // libsecp256k1 does not; delegate so both backends still give the same bytes.
      return fallback.sign(digest32, key);
    }
    return Signature.of(Arrays.copyOfRange(compact, 0, 32), Arrays.copyOfRange(compact, 32, 64), v);
  }

  @Override
  public byte[] publicKey(PrivateKey key) {
    byte[] cached = key.cachedPublicKey();
    if (cached != null) return cached.clone();
    byte[] pub = withKeyBytes(key, d -> strip04(lib.pubkeyCreate(d)));
    key.cachePublicKey(pub);
    return pub.clone();
  }

  @Override
  public byte[] recoverPublicKey(byte[] digest32, Signature sig) {
    Secp256k1.checkDigest(digest32);
    // Same range rules as the Bouncy Castle backend, checked here so that no hostile value reaches
    // C.
    BigInteger r = sig.rInt();
    BigInteger s = sig.sInt();
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0)
      return null;
    byte[] compact = new byte[64];
    System.arraycopy(sig.r(), 0, compact, 0, 32);
    System.arraycopy(sig.s(), 0, compact, 32, 32);
    return recoverOrNull(compact, digest32, sig.v());
  }

  private byte[] recoverOrNull(byte[] compact64, byte[] digest32, int recId) {
    try {
      return strip04(lib.ecdsaRecover(compact64, digest32, recId));
    } catch (Secp256k1Exception noKey) {
      return null; // r is not an x coordinate, or the recovered point is at infinity
    }
  }

  /** {@code use} applied to a copy of the key's bytes, which is wiped afterwards. */
  private static <T> T withKeyBytes(PrivateKey key, java.util.function.Function<byte[], T> use) {
    byte[] d = key.toBytes();
    try {
      return use.apply(d);
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  private static byte[] strip04(byte[] uncompressed65) {
    if (uncompressed65.length != 65 || uncompressed65[0] != 0x04) {
      throw new IllegalStateException(
          "libsecp256k1 returned a " + uncompressed65.length + "-byte public key");
    }
    return Arrays.copyOfRange(uncompressed65, 1, 65);
  }
}
