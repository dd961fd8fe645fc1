package dev.vigil.frost;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link GroupOps} over libsecp256k1 through secp256k1-kmp's JNI (the library the signing module
 * already loads): pubkeyCreate, pubKeyTweakMul, pubKeyCombine, pubkeyParse. libsecp256k1 has no
 * encoding for the identity and refuses zero scalars, so those cases are handled here, in Java.
 */
final class NativeGroupOps implements GroupOps {
  private final Secp256k1 lib;

  private NativeGroupOps(Secp256k1 lib) {
    this.lib = lib;
  }

  static boolean available() {
    return Holder.INSTANCE != null;
  }

  static NativeGroupOps loaded() {
    if (Holder.INSTANCE == null) {
      throw new IllegalStateException(
          "native libsecp256k1 cannot be used for FROST point arithmetic: " + Holder.FAILURE);
    }
    return Holder.INSTANCE;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public byte[] mulBase(BigInteger k) {
    if (k.signum() == 0) return GroupOps.identity();
    byte[] k32 = Ciphersuite.serializeScalar(k);
    try {
      return compressUnchecked(lib.pubkeyCreate(k32));
    } finally {
      Arrays.fill(k32, (byte) 0);
    }
  }

  @Override
  public byte[] mul(byte[] p, BigInteger k) {
    if (k.signum() == 0 || Ciphersuite.isIdentityEncoding(p)) return GroupOps.identity();
    byte[] k32 = Ciphersuite.serializeScalar(k);
    try {
      return compressUnchecked(lib.pubKeyTweakMul(checkCompressed(p), k32));
    } catch (Secp256k1Exception e) {
      throw new IllegalArgumentException("not a point on secp256k1", e);
    } finally {
      Arrays.fill(k32, (byte) 0);
    }
  }

  @Override
  public byte[] add(byte[] p, byte[] q) {
    if (Ciphersuite.isIdentityEncoding(p)) return q.clone();
    if (Ciphersuite.isIdentityEncoding(q)) return p.clone();
    checkCompressed(p);
    checkCompressed(q);
    // P + (-P): same x, other y. libsecp256k1 cannot return the identity, so it is answered here.
    if (p[0] != q[0] && Arrays.equals(p, 1, 33, q, 1, 33)) return GroupOps.identity();
    try {
      return compressUnchecked(lib.pubKeyCombine(new byte[][] {p, q}));
    } catch (Secp256k1Exception e) {
      throw new IllegalArgumentException("not a point on secp256k1", e);
    }
  }

  @Override
  public byte[] decompress(byte[] compressed33) {
    if (Ciphersuite.isIdentityEncoding(compressed33)) {
      throw new IllegalArgumentException("the identity has no uncompressed encoding");
    }
    try {
      return lib.pubkeyParse(checkCompressed(compressed33));
    } catch (Secp256k1Exception e) {
      throw new IllegalArgumentException("not a point on secp256k1", e);
    }
  }

  @Override
  public byte[] compress(byte[] uncompressed65) {
    if (uncompressed65.length != 65 || uncompressed65[0] != 0x04) {
      throw new IllegalArgumentException("not a 65-byte uncompressed point (04 || x || y)");
    }
    try {
      return compressUnchecked(lib.pubkeyParse(uncompressed65)); // parse checks the curve equation
    } catch (Secp256k1Exception e) {
      throw new IllegalArgumentException("not a point on secp256k1", e);
    }
  }

  private static byte[] checkCompressed(byte[] p) {
    if (p.length != 33 || (p[0] != 0x02 && p[0] != 0x03)) {
      throw new IllegalArgumentException("not a 33-byte compressed point");
    }
    return p;
  }

  /** 04 || x || y from libsecp256k1 (already on the curve) to 02/03 || x, without a JNI call. */
  private static byte[] compressUnchecked(byte[] uncompressed65) {
    if (uncompressed65.length != 65 || uncompressed65[0] != 0x04) {
      throw new IllegalStateException(
          "libsecp256k1 returned a " + uncompressed65.length + "-byte public key");
    }
    byte[] out = Arrays.copyOf(uncompressed65, 33);
    out[0] = (byte) (0x02 | (uncompressed65[64] & 1));
    return out;
  }

  /** Loads the library on first use and checks it against Bouncy Castle. */
  private static final class Holder {
    static final NativeGroupOps INSTANCE;
    static final String FAILURE;

    static {
      NativeGroupOps ops = null;
      String failure = null;
      try {
        // the Companion is the library's own entry point; it extracts and loads the bundled .so
        ops = new NativeGroupOps(Secp256k1.Companion.get());
        selfTest(ops);
      } catch (Throwable t) { // UnsatisfiedLinkError and friends are Errors; all mean "unavailable"
        if (t instanceof VirtualMachineError vme) throw vme;
        ops = null;
        failure = t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
      }
      INSTANCE = ops;
      FAILURE = failure;
    }

    private static void selfTest(NativeGroupOps ops) {
      GroupOps bc = GroupOps.bouncyCastle();
      BigInteger k =
          Ciphersuite.hashToField(
              "vigil frost self-test".getBytes(StandardCharsets.US_ASCII),
              "vigil".getBytes(StandardCharsets.US_ASCII));
      byte[] p = bc.mulBase(k);
      byte[] q = bc.mul(p, k);
      if (!Arrays.equals(ops.mulBase(k), p)
          || !Arrays.equals(ops.mul(p, k), q)
          || !Arrays.equals(ops.add(p, q), bc.add(p, q))) {
        throw new IllegalStateException(
            "self-test failed: native points differ from Bouncy Castle's");
      }
    }
  }
}
