package dev.vigil.frost;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The FROST(secp256k1, SHA-256) protocol of RFC 9591: round one ({@link #commit}), round two
 * ({@link #sign}), the coordinator's {@link #aggregate} and {@link #verifySignatureShare}, and
 * {@link #verify} of the final Schnorr signature. Stateless and thread-safe; the point arithmetic
 * is a {@link GroupOps} (native libsecp256k1 or Bouncy Castle, the same bytes either way).
 *
 * <p>A signing session: every chosen signer calls {@link #commit} and sends the commitment to the
 * coordinator, who sends the list of all commitments and the message back; each signer calls {@link
 * #sign}; the coordinator calls {@link #aggregate}, which names the participants whose shares are
 * wrong if the signature does not verify.
 */
public final class Frost {
  private static final BigInteger N = Ciphersuite.N;

  private final GroupOps ops;

  private Frost(GroupOps ops) {
    this.ops = ops;
  }

  /** FROST over {@link GroupOps#preferred()}: native libsecp256k1 when it loads. */
  public static Frost create() {
    return new Frost(GroupOps.preferred());
  }

  public static Frost using(GroupOps ops) {
    if (ops == null) throw new IllegalArgumentException("group operations are missing (null)");
    return new Frost(ops);
  }

  public GroupOps groupOps() {
    return ops;
  }

  /**
   * Round one, commit: two fresh nonces from nonce_generate (32 random bytes each, hashed with the
   * signing share) and their commitments. Send {@link SigningNonces#commitment()}; keep the nonces
   * secret and use them for one signature share only.
   */
  public SigningNonces commit(KeyPackage key, SecureRandom random) {
    byte[] r = new byte[32];
    try {
      while (true) {
        random.nextBytes(r);
        BigInteger hiding = Ciphersuite.nonceGenerate(r, key.signingShare());
        random.nextBytes(r);
        BigInteger binding = Ciphersuite.nonceGenerate(r, key.signingShare());
        // a zero nonce has probability 2^-256; its commitment would be the identity
        if (hiding.signum() != 0 && binding.signum() != 0) {
          return nonces(key.identifier(), hiding, binding);
        }
      }
    } finally {
      Arrays.fill(r, (byte) 0);
    }
  }

  SigningNonces nonces(int identifier, BigInteger hiding, BigInteger binding) {
    return new SigningNonces(
        hiding,
        binding,
        new SigningCommitment(identifier, ops.mulBase(hiding), ops.mulBase(binding)));
  }

  /**
   * The secret nonces as 64 bytes (hiding scalar | binding scalar), for durable storage only: a
   * node that sends a commitment must be able to sign with its nonces after a restart, and must
   * never sign with them twice (see {@code consensus.threshold.NonceGuardedSigner}). These bytes
   * are as secret as the signing share: anyone who holds them and one share made with them learns
   * the signing share. Seal them before they touch a disk, and never log them. The nonces stay
   * usable here.
   *
   * @throws IllegalStateException when the nonces were already used
   */
  public byte[] exportNonces(SigningNonces nonces) {
    BigInteger[] d = nonces.peek();
    return Ciphersuite.concat(Ciphersuite.serializeScalar(d[0]), Ciphersuite.serializeScalar(d[1]));
  }

  /**
   * The nonces of {@link #exportNonces}, back for participant {@code key}, with their commitment
   * computed again (compare it with the one that was sent before signing with them).
   *
   * @throws IllegalArgumentException when the bytes are not 64 or a scalar is zero or not below n
   *     (the message never echoes the bytes)
   */
  public SigningNonces importNonces(KeyPackage key, byte[] secret64) {
    if (secret64 == null || secret64.length != 2 * Ciphersuite.SCALAR_SIZE) {
      throw new IllegalArgumentException(
          "exported nonces must be "
              + 2 * Ciphersuite.SCALAR_SIZE
              + " bytes, got "
              + (secret64 == null ? "null" : secret64.length + " bytes"));
    }
    byte[] h = Arrays.copyOfRange(secret64, 0, Ciphersuite.SCALAR_SIZE);
    byte[] b = Arrays.copyOfRange(secret64, Ciphersuite.SCALAR_SIZE, secret64.length);
    try {
      return nonces(
          key.identifier(),
          Ciphersuite.deserializeNonZeroScalar(h, "hiding nonce"),
          Ciphersuite.deserializeNonZeroScalar(b, "binding nonce"));
    } finally {
      Arrays.fill(h, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * Round two, sign: this participant's signature share over {@code message} for the signing
   * session described by {@code commitments} (one per signer, this one's included; any order).
   * Consumes {@code nonces}.
   *
   * @throws IllegalArgumentException naming what is wrong: fewer signers than the key's threshold,
   *     a participant twice, this participant's commitment missing or not the one its nonces made,
   *     or a group commitment that is the identity
   * @throws IllegalStateException when the nonces were already used
   */
  public SignatureShare sign(
      KeyPackage key, SigningNonces nonces, byte[] message, List<SigningCommitment> commitments) {
    int id = key.identifier();
    if (nonces.identifier() != id) {
      throw new IllegalArgumentException(
          "participant " + id + " was given the nonces of participant " + nonces.identifier());
    }
    checkMessage(message);
    Session s = session(key.groupKey(), commitments, message);
    checkSignerCount(s, key.minSigners());
    SigningCommitment own = s.commitments.get(id);
    if (own == null) {
      throw new IllegalArgumentException(
          "participant " + id + " is not among the signers " + s.commitments.keySet());
    }
    if (!own.equals(nonces.commitment())) {
      throw new IllegalArgumentException(
          "the commitment listed for participant "
              + id
              + " is not the one its nonces made; refusing to sign");
    }
    BigInteger lambda = Polynomials.lagrangeCoefficient(id, s.commitments.keySet());
    BigInteger[] d = nonces.take();
    BigInteger z =
        d[0].add(d[1].multiply(s.bindingFactors.get(id)))
            .add(lambda.multiply(key.signingShare()).mod(N).multiply(s.challenge))
            .mod(N);
    return new SignatureShare(id, z);
  }

  /**
   * The coordinator's aggregate: the signature (R, z) from one share per signer. Checks the result
   * against the group key; when it does not verify, checks every share and names the participants
   * whose shares are wrong.
   *
   * @throws IllegalArgumentException naming what is wrong with the inputs (fewer signers than the
   *     threshold, a share without a commitment or the other way round, an unknown participant)
   * @throws InvalidSignatureShareException naming the participants whose shares do not verify
   */
  public FrostSignature aggregate(
      List<SigningCommitment> commitments,
      byte[] message,
      List<SignatureShare> shares,
      PublicKeyPackage keys) {
    checkMessage(message);
    Session s = session(keys.groupKey(), commitments, message);
    checkSignerCount(s, keys.minSigners());
    Map<Integer, SignatureShare> byId = new TreeMap<>();
    for (SignatureShare share : shares) {
      if (byId.put(share.identifier(), share) != null) {
        throw new IllegalArgumentException(
            "two signature shares from participant " + share.identifier());
      }
    }
    if (!byId.keySet().equals(s.commitments.keySet())) {
      TreeSet<Integer> missing = new TreeSet<>(s.commitments.keySet());
      missing.removeAll(byId.keySet());
      TreeSet<Integer> extra = new TreeSet<>(byId.keySet());
      extra.removeAll(s.commitments.keySet());
      throw new IllegalArgumentException(
          "signature shares do not match the commitments: no share from "
              + missing
              + ", no commitment from "
              + extra);
    }
    for (int id : byId.keySet()) keys.verifyingShare(id); // names an unknown participant
    BigInteger z = BigInteger.ZERO;
    for (SignatureShare share : byId.values()) z = z.add(share.share());
    FrostSignature sig = new FrostSignature(s.groupCommitment, z.mod(N));
    if (verify(sig, message, keys.groupKey())) return sig;
    List<Integer> culprits = new ArrayList<>();
    for (SignatureShare share : byId.values()) {
      if (!verifyShare(s, share, keys.verifyingShare(share.identifier()))) {
        culprits.add(share.identifier());
      }
    }
    if (culprits.isEmpty()) {
      throw new IllegalStateException(
          "every signature share verifies but their aggregate does not: the signers are fewer than"
              + " the key's real threshold, or the public key package is not this key's");
    }
    throw new InvalidSignatureShareException(culprits);
  }

  /**
   * verify_signature_share: whether {@code share} is the share its participant should have made in
   * the session of {@code commitments}, checked against the participant's verifying share.
   */
  public boolean verifySignatureShare(
      SignatureShare share,
      byte[] verifyingShare,
      List<SigningCommitment> commitments,
      byte[] groupKey,
      byte[] message) {
    checkMessage(message);
    byte[] pk =
        Ciphersuite.checkElement(
            verifyingShare, "verifying share of participant " + share.identifier());
    Session s = session(groupKey, commitments, message);
    if (!s.commitments.containsKey(share.identifier())) {
      throw new IllegalArgumentException(
          "participant "
              + share.identifier()
              + " is not among the signers "
              + s.commitments.keySet());
    }
    return verifyShare(s, share, pk);
  }

  private boolean verifyShare(Session s, SignatureShare share, byte[] verifyingShare) {
    int id = share.identifier();
    SigningCommitment c = s.commitments.get(id);
    byte[] commShare = ops.add(c.hiding(), ops.mul(c.binding(), s.bindingFactors.get(id)));
    BigInteger lambda = Polynomials.lagrangeCoefficient(id, s.commitments.keySet());
    byte[] l = ops.mulBase(share.share());
    byte[] r = ops.add(commShare, ops.mul(verifyingShare, s.challenge.multiply(lambda).mod(N)));
    return Arrays.equals(l, r);
  }

  /** Verifies a Schnorr signature (R, z) over {@code message}: z * G == R + H2(R, PK, m) * PK. */
  public boolean verify(FrostSignature signature, byte[] message, byte[] groupKey) {
    checkMessage(message);
    byte[] pk = Ciphersuite.checkElement(groupKey, "group public key");
    BigInteger c = challenge(signature.r(), pk, message);
    byte[] l = ops.mulBase(signature.z());
    byte[] r = ops.add(signature.r(), ops.mul(pk, c));
    return Arrays.equals(l, r);
  }

  /** compute_challenge: H2(SerializeElement(R) || SerializeElement(PK) || msg). */
  static BigInteger challenge(byte[] groupCommitment, byte[] groupKey, byte[] message) {
    return Ciphersuite.h2(Ciphersuite.concat(groupCommitment, groupKey, message));
  }

  /** The rho_input of each participant (RFC 9591 4.4), in identifier order. */
  static Map<Integer, byte[]> bindingFactorInputs(
      byte[] groupKey, List<SigningCommitment> commitments, byte[] message) {
    Map<Integer, SigningCommitment> sorted = sortCommitments(commitments);
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    for (SigningCommitment c : sorted.values()) encoded.writeBytes(c.encode());
    byte[] prefix =
        Ciphersuite.concat(
            groupKey, Ciphersuite.h4(message), Ciphersuite.h5(encoded.toByteArray()));
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int id : sorted.keySet()) {
      out.put(id, Ciphersuite.concat(prefix, Ciphersuite.serializeIdentifier(id)));
    }
    return out;
  }

  /** Everything a session's commitments, group key and message determine. */
  private record Session(
      Map<Integer, SigningCommitment> commitments,
      Map<Integer, BigInteger> bindingFactors,
      byte[] groupCommitment,
      BigInteger challenge) {}

  private Session session(byte[] groupKey, List<SigningCommitment> commitments, byte[] message) {
    byte[] pk = Ciphersuite.checkElement(groupKey, "group public key");
    Map<Integer, SigningCommitment> sorted = sortCommitments(commitments);
    Map<Integer, BigInteger> rho = new TreeMap<>();
    bindingFactorInputs(pk, commitments, message)
        .forEach((id, input) -> rho.put(id, Ciphersuite.h1(input)));
    byte[] r = GroupOps.identity();
    for (SigningCommitment c : sorted.values()) {
      r = ops.add(r, ops.add(c.hiding(), ops.mul(c.binding(), rho.get(c.identifier()))));
    }
    if (Ciphersuite.isIdentityEncoding(r)) {
      throw new IllegalArgumentException(
          "the group commitment is the identity element: the commitments of participants "
              + sorted.keySet()
              + " cancel out, which honest participants never produce");
    }
    return new Session(sorted, rho, r, challenge(r, pk, message));
  }

  private static Map<Integer, SigningCommitment> sortCommitments(
      List<SigningCommitment> commitments) {
    if (commitments == null || commitments.isEmpty()) {
      throw new IllegalArgumentException("the list of signing commitments is empty");
    }
    Map<Integer, SigningCommitment> sorted = new TreeMap<>();
    for (SigningCommitment c : commitments) {
      if (c == null) throw new IllegalArgumentException("a signing commitment is null");
      if (sorted.put(c.identifier(), c) != null) {
        throw new IllegalArgumentException(
            "two signing commitments from participant " + c.identifier());
      }
    }
    return sorted;
  }

  private static void checkSignerCount(Session s, int minSigners) {
    if (s.commitments.size() < minSigners) {
      throw new IllegalArgumentException(
          s.commitments.size()
              + " signers "
              + s.commitments.keySet()
              + ", but this key needs at least "
              + minSigners);
    }
  }

  private static void checkMessage(byte[] message) {
    if (message == null) throw new IllegalArgumentException("the message is missing (null)");
  }
}
