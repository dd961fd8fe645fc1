package dev.vigil.frost;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Trusted-dealer key generation (RFC 9591 appendix C), for tests and devnets: a secret, Shamir
 * shares of it for participants 1..n with threshold t, and the verifiable-secret-sharing (VSS)
 * commitment to the polynomial, with which each participant checks its share.
 *
 * <p>EVM friendliness. The Solidity verifier checks z * G == R + c * PK with one {@code ecrecover}
 * call, passing the group key's x-coordinate as ecrecover's {@code r}. The precompile only accepts
 * r in [1, n), while x-coordinates run up to p > n. A group key whose x is n or more (probability
 * about 2^-128 for a random key) could sign but never be verified on chain. {@link #isEvmFriendly}
 * reports it; {@link #trustedDealer} draws new secrets until the key is friendly.
 */
public final class KeyGeneration {
  private static final BigInteger N = Ciphersuite.N;

  /**
   * The dealer's output: every participant's key package, the public package, the VSS commitment.
   */
  public record Dealt(
      List<KeyPackage> keyPackages, PublicKeyPackage publicKeys, List<byte[]> vssCommitment) {
    public Dealt {
      keyPackages = List.copyOf(keyPackages);
      vssCommitment = vssCommitment.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> vssCommitment() {
      return vssCommitment.stream().map(byte[]::clone).toList();
    }

    /** The key package of participant {@code identifier} (1..n). */
    public KeyPackage keyPackage(int identifier) {
      for (KeyPackage k : keyPackages) if (k.identifier() == identifier) return k;
      throw new IllegalArgumentException(
          "no participant " + identifier + " (participants 1.." + keyPackages.size() + ")");
    }

    @Override
    public String toString() {
      return "Dealt[" + publicKeys + ", signing shares redacted]";
    }
  }

  private KeyGeneration() {}

  /**
   * A fresh random key split t-of-n, with an EVM-friendly group key (x-coordinate below n; see the
   * class comment): secrets whose key is not are discarded and drawn again.
   *
   * @throws IllegalArgumentException unless 2 <= minSigners <= maxSigners
   */
  public static Dealt trustedDealer(int minSigners, int maxSigners, SecureRandom random) {
    return trustedDealer(minSigners, maxSigners, random, KeyGeneration::isEvmFriendly);
  }

  /** As above, retrying until {@code acceptable} accepts the group key (tests the retry). */
  static Dealt trustedDealer(
      int minSigners, int maxSigners, SecureRandom random, Predicate<byte[]> acceptable) {
    checkThreshold(minSigners, maxSigners);
    GroupOps ops = GroupOps.preferred();
    while (true) {
      BigInteger secret = randomNonZeroScalar(random);
      if (acceptable.test(ops.mulBase(secret))) {
        return split(secret, randomCoefficients(minSigners - 1, random), maxSigners, ops);
      }
    }
  }

  /**
   * Splits an existing secret key t-of-n with random polynomial coefficients. The group key is the
   * secret's; check {@link #isEvmFriendly} when it will be verified on chain.
   *
   * @throws IllegalArgumentException for a secret that is zero, not 32 bytes or not below n, or
   *     unless 2 <= minSigners <= maxSigners
   */
  public static Dealt split(
      byte[] secretKey32, int minSigners, int maxSigners, SecureRandom random) {
    checkThreshold(minSigners, maxSigners);
    BigInteger secret = Ciphersuite.deserializeNonZeroScalar(secretKey32, "group secret key");
    return split(
        secret, randomCoefficients(minSigners - 1, random), maxSigners, GroupOps.preferred());
  }

  /**
   * secret_share_shard and vss_commit with the given coefficients (a_1 .. a_{t-1}): the RFC's
   * trusted_dealer_keygen, deterministic.
   */
  static Dealt split(
      BigInteger secret, List<BigInteger> coefficients, int maxSigners, GroupOps ops) {
    int minSigners = coefficients.size() + 1;
    checkThreshold(minSigners, maxSigners);
    List<BigInteger> poly = new ArrayList<>();
    poly.add(secret);
    poly.addAll(coefficients);
    List<byte[]> vss = new ArrayList<>();
    for (BigInteger a : poly) vss.add(ops.mulBase(a));
    byte[] groupKey = vss.get(0);
    Ciphersuite.checkElement(groupKey, "group public key");
    List<KeyPackage> packages = new ArrayList<>();
    Map<Integer, byte[]> verifying = new TreeMap<>();
    for (int i = 1; i <= maxSigners; i++) {
      BigInteger share = Polynomials.evaluate(BigInteger.valueOf(i), poly);
      if (share.signum() == 0) {
        // probability about n * 2^-256; a zero share would make a participant's key the identity
        throw new IllegalStateException("the dealer drew a polynomial with a zero share; retry");
      }
      byte[] verifyingShare = ops.mulBase(share);
      verifying.put(i, verifyingShare);
      packages.add(new KeyPackage(i, share, verifyingShare, groupKey, minSigners));
    }
    return new Dealt(packages, new PublicKeyPackage(groupKey, verifying, minSigners), vss);
  }

  /**
   * vss_verify: whether a participant's signing share lies on the polynomial the dealer committed
   * to, i.e. share * G == sum_j (identifier^j * C_j).
   */
  public static boolean vssVerify(KeyPackage key, List<byte[]> vssCommitment) {
    GroupOps ops = GroupOps.preferred();
    byte[] expected = ops.mulBase(key.signingShare());
    byte[] sum = GroupOps.identity();
    BigInteger x = BigInteger.valueOf(key.identifier());
    BigInteger power = BigInteger.ONE;
    for (int j = 0; j < vssCommitment.size(); j++) {
      byte[] c = Ciphersuite.checkElement(vssCommitment.get(j), "VSS commitment " + j);
      sum = ops.add(sum, ops.mul(c, power));
      power = power.multiply(x).mod(N);
    }
    return java.util.Arrays.equals(expected, sum);
  }

  /**
   * Whether a group key (33-byte compressed) can be verified on chain with the ecrecover trick: its
   * x-coordinate must be below the curve order n.
   *
   * @throws IllegalArgumentException when the bytes are not a valid point
   */
  public static boolean isEvmFriendly(byte[] groupKey33) {
    byte[] pk = Ciphersuite.checkElement(groupKey33, "group public key");
    return new BigInteger(1, pk, 1, 32).compareTo(N) < 0;
  }

  /**
   * The Lagrange coefficient at 0 of {@code identifier} among {@code participants}
   * (derive_interpolating_value): the factor its share is weighted with in a signature.
   *
   * @throws IllegalArgumentException when the identifier is not among the participants or one of
   *     them appears twice
   */
  public static BigInteger lagrangeCoefficient(int identifier, List<Integer> participants) {
    return Polynomials.lagrangeCoefficient(identifier, participants);
  }

  static void checkThreshold(int minSigners, int maxSigners) {
    if (minSigners < 2 || minSigners > maxSigners) {
      throw new IllegalArgumentException(
          "threshold must satisfy 2 <= min signers <= participants, got "
              + minSigners
              + "-of-"
              + (maxSigners == Integer.MAX_VALUE ? "n" : String.valueOf(maxSigners)));
    }
  }

  private static List<BigInteger> randomCoefficients(int count, SecureRandom random) {
    List<BigInteger> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(randomNonZeroScalar(random));
    return out;
  }

  private static BigInteger randomNonZeroScalar(SecureRandom random) {
    byte[] b = new byte[32];
    while (true) {
      random.nextBytes(b);
      BigInteger s = new BigInteger(1, b);
      if (s.signum() > 0 && s.compareTo(N) < 0) {
        java.util.Arrays.fill(b, (byte) 0);
        return s;
      }
    }
  }
}
