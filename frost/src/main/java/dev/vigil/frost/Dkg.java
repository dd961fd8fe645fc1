package dev.vigil.frost;

import dev.vigil.signing.Hex;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Distributed key generation for FROST(secp256k1, SHA-256): the Pedersen DKG with proofs of
 * knowledge of FROST's KeyGen (Komlo and Goldberg 2020, figure 1; as in the Zcash Foundation's
 * {@code frost-core} {@code keys::dkg}), with signed shares and complaints so that a failed run
 * names the member at fault. This class holds the messages, their binary encodings, the proofs and
 * {@link #judge}; {@link DkgParticipant} is one participant's state machine.
 *
 * <p>Hashes. Every challenge is RFC 9380 hash_to_field (expand_message_xmd, SHA-256) with a DST of
 * the ciphersuite's context string and a suffix:
 *
 * <ul>
 *   <li>proof of knowledge of a_i0, DST {@value #POK_DST}: c = H(SerializeScalar(i) || u16(len ctx)
 *       || ctx || C_i0 || R); the proof is (R, mu) with mu = k + a_i0 c, valid when mu G == R + c
 *       C_i0.
 *   <li>share signature, DST {@value #SHARE_DST}: c = H(u16(len ctx) || ctx || SerializeScalar(i)
 *       || SerializeScalar(j) || SerializeScalar(f_i(j)) || C_i0 || R); a Schnorr signature by
 *       sender i under its own C_i0 = a_i0 G, so that a share is the sender's non-repudiable
 *       statement.
 * </ul>
 *
 * <p>ctx is the session context ({@link #context}: committee index and run id), so a proof or a
 * share from another run does not verify in this one.
 *
 * <p>Wire formats (all integers big-endian, points 33-byte compressed, scalars 32 bytes):
 *
 * <ul>
 *   <li>round-1 package: 0x01 || u16 sender || u16 t || t points || R || mu
 *   <li>round-2 share: 0x02 || u16 sender || u16 recipient || share || R || z
 *   <li>complaint: 0x03 || u16 complainer || u16 accused || 0x00, or 0x01 || round-2 share bytes
 *   <li>complaint answer: 0x04 || round-2 share bytes
 * </ul>
 *
 * Decoders never throw: they return a {@link Decoded} whose error names the field.
 */
public final class Dkg {
  /** DST of the proof of knowledge: the ciphersuite context string and "dkg". */
  public static final String POK_DST = Ciphersuite.CONTEXT_STRING + "dkg";

  /** DST of the sender's signature on a round-2 share. */
  public static final String SHARE_DST = Ciphersuite.CONTEXT_STRING + "dkg-share";

  /** Identifiers and the threshold travel as u16. */
  public static final int MAX_PARTICIPANTS = 0xFFFF;

  /** A context is at most this long (its length travels as u16 in the hashed messages). */
  public static final int MAX_CONTEXT = 0xFFFF;

  static final byte TAG_ROUND1 = 0x01;
  static final byte TAG_ROUND2 = 0x02;
  static final byte TAG_COMPLAINT = 0x03;
  static final byte TAG_ANSWER = 0x04;

  private static final byte[] CONTEXT_PREFIX = "vigil-dkg-v1".getBytes(StandardCharsets.US_ASCII);
  private static final int SHARE_LENGTH = 1 + 2 + 2 + 32 + 33 + 32;

  private Dkg() {}

  /**
   * The session context bound into every proof and share signature: "vigil-dkg-v1" || u32 committee
   * index || run id. A new run (after a failure, or for a group key that is not EVM friendly) must
   * use a new run id.
   *
   * @throws IllegalArgumentException for a negative committee index or a run id that is empty or
   *     longer than 1024 bytes
   */
  public static byte[] context(int committeeIndex, byte[] runId) {
    if (committeeIndex < 0) {
      throw new IllegalArgumentException("committee index must be >= 0, got " + committeeIndex);
    }
    if (runId == null || runId.length == 0 || runId.length > 1024) {
      throw new IllegalArgumentException(
          "run id must be 1..1024 bytes, got " + (runId == null ? "null" : runId.length));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(CONTEXT_PREFIX);
    out.write(committeeIndex >>> 24);
    out.write(committeeIndex >>> 16);
    out.write(committeeIndex >>> 8);
    out.write(committeeIndex);
    out.writeBytes(runId);
    return out.toByteArray();
  }

  /** As above with a text run id (UTF-8). */
  public static byte[] context(int committeeIndex, String runId) {
    return context(committeeIndex, runId.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ messages

  /**
   * Round one, broadcast: participant {@code sender}'s VSS commitment (C_i0 .. C_i,t-1, 33-byte
   * points) and its proof of knowledge (R, mu) of a_i0. Public.
   */
  public record Round1Package(
      int sender, List<byte[]> commitment, byte[] proofR, BigInteger proofMu) {
    /**
     * @throws IllegalArgumentException naming the field: an identifier outside 1..65535, an empty
     *     commitment or one with more than 65535 points, a point that is not valid (off the curve,
     *     the identity), a proof scalar not below n
     */
    public Round1Package {
      checkId(sender, "sender of a round-1 package");
      if (commitment == null || commitment.isEmpty() || commitment.size() > MAX_PARTICIPANTS) {
        throw new IllegalArgumentException(
            "VSS commitment of participant "
                + sender
                + " must have 1.."
                + MAX_PARTICIPANTS
                + " points, got "
                + (commitment == null ? "null" : commitment.size()));
      }
      List<byte[]> copy = new ArrayList<>();
      for (int k = 0; k < commitment.size(); k++) {
        copy.add(
            Ciphersuite.checkElement(
                commitment.get(k), "VSS commitment " + k + " of participant " + sender));
      }
      commitment = List.copyOf(copy);
      proofR = Ciphersuite.checkElement(proofR, "proof-of-knowledge R of participant " + sender);
      checkScalar(proofMu, "proof-of-knowledge mu of participant " + sender);
    }

    @Override
    public List<byte[]> commitment() {
      return commitment.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] proofR() {
      return proofR.clone();
    }

    /** C_i0 = a_i0 G, this participant's contribution to the group key. */
    public byte[] constantCommitment() {
      return commitment.get(0).clone();
    }

    byte[] point(int k) {
      return commitment.get(k);
    }

    int threshold() {
      return commitment.size();
    }

    public byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(TAG_ROUND1);
      u16(out, sender);
      u16(out, commitment.size());
      for (byte[] c : commitment) out.writeBytes(c);
      out.writeBytes(proofR);
      out.writeBytes(Ciphersuite.serializeScalar(proofMu));
      return out.toByteArray();
    }

    public static Decoded<Round1Package> decode(byte[] bytes) {
      return Decoded.of(
          bytes,
          "round-1 package",
          r -> {
            r.tag(TAG_ROUND1);
            int sender = r.id("sender");
            int t = r.u16("commitment length");
            if (t == 0) throw r.error("commitment length", "is zero");
            r.expectRemaining("commitment", t * 33L + 33 + 32);
            List<byte[]> points = new ArrayList<>();
            for (int k = 0; k < t; k++) points.add(r.bytes("commitment point " + k, 33));
            byte[] proofR = r.bytes("proof R", 33);
            byte[] mu = r.bytes("proof mu", 32);
            r.end();
            return new Round1Package(sender, points, proofR, new BigInteger(1, mu));
          });
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Round1Package p && Arrays.equals(p.encode(), encode());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
      return "Round1Package[from "
          + sender
          + ", "
          + commitment.size()
          + " commitments, C0 "
          + Hex.encode(commitment.get(0))
          + "]";
    }
  }

  /**
   * Round two, sent privately from {@code sender} to {@code recipient}: the share
   * f_sender(recipient) and the sender's signature (R, z) on it (see the class comment). Secret
   * while in transit (the caller encrypts it); {@link #toString()} never shows the share.
   */
  public record Round2Share(
      int sender, int recipient, BigInteger share, byte[] signatureR, BigInteger signatureZ) {
    /**
     * @throws IllegalArgumentException naming the field: identifiers outside 1..65535 or equal, a
     *     share or signature scalar not below n, an invalid R point
     */
    public Round2Share {
      checkId(sender, "sender of a round-2 share");
      checkId(recipient, "recipient of a round-2 share from " + sender);
      if (sender == recipient) {
        throw new IllegalArgumentException(
            "round-2 share from " + sender + " is addressed to itself");
      }
      checkScalar(share, "round-2 share from " + sender + " to " + recipient);
      signatureR =
          Ciphersuite.checkElement(
              signatureR, "signature R of the round-2 share from " + sender + " to " + recipient);
      checkScalar(
          signatureZ, "signature z of the round-2 share from " + sender + " to " + recipient);
    }

    @Override
    public byte[] signatureR() {
      return signatureR.clone();
    }

    public byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream(SHARE_LENGTH);
      out.write(TAG_ROUND2);
      u16(out, sender);
      u16(out, recipient);
      out.writeBytes(Ciphersuite.serializeScalar(share));
      out.writeBytes(signatureR);
      out.writeBytes(Ciphersuite.serializeScalar(signatureZ));
      return out.toByteArray();
    }

    public static Decoded<Round2Share> decode(byte[] bytes) {
      return Decoded.of(
          bytes,
          "round-2 share",
          r -> {
            Round2Share s = readShare(r);
            r.end();
            return s;
          });
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Round2Share s && Arrays.equals(s.encode(), encode());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
      return "Round2Share[from " + sender + " to " + recipient + ", share redacted]";
    }
  }

  /**
   * {@code complainer} accuses {@code accused} of a bad round-2 share. The evidence, when present,
   * is the signed share the complainer received (its value is revealed to everyone); it is absent
   * when no share arrived or its signature did not verify, and then the accused must answer with a
   * {@link ComplaintAnswer}. Public.
   */
  public record Complaint(int complainer, int accused, Optional<Round2Share> evidence) {
    /**
     * @throws IllegalArgumentException for identifiers outside 1..65535, a complaint against
     *     oneself, or evidence that is not a share from the accused to the complainer
     */
    public Complaint {
      checkId(complainer, "complainer");
      checkId(accused, "accused of participant " + complainer + "'s complaint");
      if (complainer == accused) {
        throw new IllegalArgumentException("participant " + complainer + " complains about itself");
      }
      if (evidence == null) evidence = Optional.empty();
      evidence.ifPresent(
          s -> {
            if (s.sender() != accused || s.recipient() != complainer) {
              throw new IllegalArgumentException(
                  "evidence of participant "
                      + complainer
                      + "'s complaint against "
                      + accused
                      + " is a share from "
                      + s.sender()
                      + " to "
                      + s.recipient());
            }
          });
    }

    public byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(TAG_COMPLAINT);
      u16(out, complainer);
      u16(out, accused);
      if (evidence.isEmpty()) {
        out.write(0);
      } else {
        out.write(1);
        out.writeBytes(evidence.get().encode());
      }
      return out.toByteArray();
    }

    public static Decoded<Complaint> decode(byte[] bytes) {
      return Decoded.of(
          bytes,
          "complaint",
          r -> {
            r.tag(TAG_COMPLAINT);
            int complainer = r.id("complainer");
            int accused = r.id("accused");
            int flag = r.u8("evidence flag");
            Optional<Round2Share> evidence;
            if (flag == 0) {
              evidence = Optional.empty();
            } else if (flag == 1) {
              evidence = Optional.of(readShare(r));
            } else {
              throw r.error("evidence flag", "must be 0 or 1, got " + flag);
            }
            r.end();
            return new Complaint(complainer, accused, evidence);
          });
    }

    @Override
    public String toString() {
      return "Complaint["
          + complainer
          + " accuses "
          + accused
          + (evidence.isPresent() ? ", with the signed share" : ", no valid share received")
          + "]";
    }
  }

  /**
   * The accused's answer to a complaint: it reveals, to everyone, the signed share it sent the
   * complainer. Public.
   */
  public record ComplaintAnswer(Round2Share revealed) {
    public ComplaintAnswer {
      if (revealed == null) throw new IllegalArgumentException("complaint answer has no share");
    }

    public int accused() {
      return revealed.sender();
    }

    public int complainer() {
      return revealed.recipient();
    }

    public byte[] encode() {
      return Ciphersuite.concat(new byte[] {TAG_ANSWER}, revealed.encode());
    }

    public static Decoded<ComplaintAnswer> decode(byte[] bytes) {
      return Decoded.of(
          bytes,
          "complaint answer",
          r -> {
            r.tag(TAG_ANSWER);
            Round2Share s = readShare(r);
            r.end();
            return new ComplaintAnswer(s);
          });
    }

    @Override
    public String toString() {
      return "ComplaintAnswer[" + accused() + " reveals its share to " + complainer() + "]";
    }
  }

  /** Who a complaint shows to be at fault. */
  public enum Finding {
    /**
     * The accused signed a share off its own committed polynomial, or could not show a valid one.
     */
    ACCUSED_AT_FAULT,
    /** The complainer's evidence is a valid share, or is not the accused's signed share. */
    COMPLAINER_AT_FAULT,
    /**
     * No evidence (the complainer had no valid signed share) and the accused answered with a valid
     * signed share: nobody is shown to be at fault (a lost message looks the same); the complainer
     * adopts the revealed share and the run continues.
     */
    RESOLVED_BY_ANSWER
  }

  /** The result of {@link #judge}: the same at every participant given the same inputs. */
  public record Verdict(int complainer, int accused, Finding finding, String reason) {
    /** The member to exclude: the accused or the complainer; empty when resolved by the answer. */
    public OptionalInt faulty() {
      return switch (finding) {
        case ACCUSED_AT_FAULT -> OptionalInt.of(accused);
        case COMPLAINER_AT_FAULT -> OptionalInt.of(complainer);
        case RESOLVED_BY_ANSWER -> OptionalInt.empty();
      };
    }

    @Override
    public String toString() {
      return "Verdict["
          + complainer
          + " against "
          + accused
          + ": "
          + finding
          + (faulty().isPresent() ? " (participant " + faulty().getAsInt() + ")" : "")
          + ", "
          + reason
          + "]";
    }
  }

  /**
   * What a participant's finished run produced: its key package and the public key package. When
   * {@link #evmFriendly()} is false the group key's x is not below n, so the on-chain verifier
   * (ecrecover trick, {@link KeyGeneration#isEvmFriendly}) could never verify it: discard the
   * result and run the DKG again with a new run id (every participant reaches the same conclusion).
   */
  public record Result(KeyPackage keyPackage, PublicKeyPackage publicKeys, boolean evmFriendly) {
    public byte[] groupKey() {
      return publicKeys.groupKey();
    }

    @Override
    public String toString() {
      return "Dkg.Result["
          + publicKeys
          + (evmFriendly ? "" : ", NOT EVM friendly: run again with a new run id")
          + ", signing share redacted]";
    }
  }

  // ------------------------------------------------------------------ judging

  /**
   * Decides a complaint; every participant runs it on the same complaint, the accused's round-1
   * package (as broadcast) and the accused's answer, and reaches the same verdict:
   *
   * <ol>
   *   <li>With evidence: a share whose signature does not verify under the accused's C_0 in this
   *       context is not the accused's statement: the complainer is at fault. A validly signed
   *       share that fails vss_verify against the accused's commitment convicts the accused; no
   *       answer can clear it (it signed that share). A validly signed share that passes makes the
   *       complaint false: the complainer is at fault.
   *   <li>Without evidence: the accused is at fault unless {@code answer} reveals a share to the
   *       complainer, signed by the accused, that passes vss_verify; then the verdict is {@link
   *       Finding#RESOLVED_BY_ANSWER} and the complainer uses that share.
   * </ol>
   *
   * @param answer the accused's answer, or null when it gave none (in time)
   * @throws IllegalArgumentException when the package is not the accused's, or the answer is not
   *     the accused's share to the complainer
   */
  public static Verdict judge(
      byte[] context, Complaint complaint, Round1Package accusedPackage, ComplaintAnswer answer) {
    int complainer = complaint.complainer();
    int accused = complaint.accused();
    if (accusedPackage.sender() != accused) {
      throw new IllegalArgumentException(
          "judging a complaint against "
              + accused
              + " with the round-1 package of "
              + accusedPackage.sender());
    }
    if (complaint.evidence().isPresent()) {
      Round2Share s = complaint.evidence().get();
      if (!verifyShareSignature(context, s, accusedPackage.point(0))) {
        return new Verdict(
            complainer,
            accused,
            Finding.COMPLAINER_AT_FAULT,
            "the evidence is not a share signed by " + accused + " in this run");
      }
      if (vssVerify(s.share(), complainer, accusedPackage)) {
        return new Verdict(
            complainer,
            accused,
            Finding.COMPLAINER_AT_FAULT,
            "the share " + accused + " signed is on its committed polynomial: a false complaint");
      }
      return new Verdict(
          complainer,
          accused,
          Finding.ACCUSED_AT_FAULT,
          accused + " signed a share for " + complainer + " that is off its committed polynomial");
    }
    if (answer == null) {
      return new Verdict(
          complainer, accused, Finding.ACCUSED_AT_FAULT, accused + " did not answer the complaint");
    }
    if (answer.accused() != accused || answer.complainer() != complainer) {
      throw new IllegalArgumentException(
          "the answer reveals a share from "
              + answer.accused()
              + " to "
              + answer.complainer()
              + ", not from "
              + accused
              + " to "
              + complainer);
    }
    Round2Share s = answer.revealed();
    if (!verifyShareSignature(context, s, accusedPackage.point(0))) {
      return new Verdict(
          complainer,
          accused,
          Finding.ACCUSED_AT_FAULT,
          accused + "'s answer is not signed by it in this run");
    }
    if (!vssVerify(s.share(), complainer, accusedPackage)) {
      return new Verdict(
          complainer,
          accused,
          Finding.ACCUSED_AT_FAULT,
          accused + "'s revealed share for " + complainer + " is off its committed polynomial");
    }
    return new Verdict(
        complainer,
        accused,
        Finding.RESOLVED_BY_ANSWER,
        accused + " revealed a valid signed share; " + complainer + " adopts it");
  }

  // ------------------------------------------------------------------ proofs

  static BigInteger pokChallenge(byte[] context, int identifier, byte[] c0, byte[] r) {
    byte[] msg =
        Ciphersuite.concat(
            Ciphersuite.serializeIdentifier(identifier), lengthPrefixed(context), c0, r);
    return Ciphersuite.hashToField(msg, POK_DST.getBytes(StandardCharsets.US_ASCII));
  }

  static BigInteger shareChallenge(
      byte[] context, int sender, int recipient, BigInteger share, byte[] c0, byte[] r) {
    byte[] msg =
        Ciphersuite.concat(
            lengthPrefixed(context),
            Ciphersuite.serializeIdentifier(sender),
            Ciphersuite.serializeIdentifier(recipient),
            Ciphersuite.serializeScalar(share),
            c0,
            r);
    return Ciphersuite.hashToField(msg, SHARE_DST.getBytes(StandardCharsets.US_ASCII));
  }

  /** The proof of knowledge of {@code a0} for {@code identifier} in {@code context}. */
  static Round1Package round1Package(
      byte[] context, int identifier, List<BigInteger> coefficients, SecureRandom random) {
    GroupOps ops = GroupOps.preferred();
    List<byte[]> commitment = new ArrayList<>();
    for (BigInteger a : coefficients) commitment.add(ops.mulBase(a));
    BigInteger a0 = coefficients.get(0);
    BigInteger k = nonce(random, a0);
    byte[] r = ops.mulBase(k);
    BigInteger c = pokChallenge(context, identifier, commitment.get(0), r);
    BigInteger mu = k.add(a0.multiply(c)).mod(Ciphersuite.N);
    return new Round1Package(identifier, commitment, r, mu);
  }

  /** Whether the package's proof of knowledge verifies in {@code context}: mu G == R + c C_0. */
  static boolean verifyProof(byte[] context, Round1Package p) {
    GroupOps ops = GroupOps.preferred();
    BigInteger c = pokChallenge(context, p.sender(), p.point(0), p.proofR);
    return Arrays.equals(ops.mulBase(p.proofMu()), ops.add(p.proofR, ops.mul(p.point(0), c)));
  }

  /** f_sender(recipient), signed by the sender with a0 (whose public key is c0). */
  static Round2Share signedShare(
      byte[] context,
      int sender,
      int recipient,
      BigInteger share,
      BigInteger a0,
      byte[] c0,
      SecureRandom random) {
    GroupOps ops = GroupOps.preferred();
    BigInteger k = nonce(random, a0);
    byte[] r = ops.mulBase(k);
    BigInteger c = shareChallenge(context, sender, recipient, share, c0, r);
    BigInteger z = k.add(a0.multiply(c)).mod(Ciphersuite.N);
    return new Round2Share(sender, recipient, share, r, z);
  }

  static boolean verifyShareSignature(byte[] context, Round2Share s, byte[] c0) {
    GroupOps ops = GroupOps.preferred();
    BigInteger c = shareChallenge(context, s.sender(), s.recipient(), s.share(), c0, s.signatureR);
    return Arrays.equals(ops.mulBase(s.signatureZ()), ops.add(s.signatureR, ops.mul(c0, c)));
  }

  /** vss_verify for a share f_i(recipient) against participant i's commitment. */
  static boolean vssVerify(BigInteger share, int recipient, Round1Package sender) {
    GroupOps ops = GroupOps.preferred();
    return Arrays.equals(ops.mulBase(share), evaluateCommitment(sender.commitment, recipient, ops));
  }

  /** sum_k C_k x^k: the public image of the committed polynomial at x (may be the identity). */
  static byte[] evaluateCommitment(List<byte[]> commitment, int x, GroupOps ops) {
    BigInteger xb = BigInteger.valueOf(x);
    byte[] sum = GroupOps.identity();
    for (int k = commitment.size() - 1; k >= 0; k--) {
      // Horner: sum = sum * x + C_k
      sum = Ciphersuite.isIdentityEncoding(sum) ? sum : ops.mul(sum, xb.mod(Ciphersuite.N));
      sum = ops.add(sum, commitment.get(k));
    }
    return sum;
  }

  private static BigInteger nonce(SecureRandom random, BigInteger secret) {
    byte[] r = new byte[32];
    try {
      while (true) {
        random.nextBytes(r);
        BigInteger k = Ciphersuite.nonceGenerate(r, secret);
        if (k.signum() != 0) return k;
      }
    } finally {
      Arrays.fill(r, (byte) 0);
    }
  }

  private static byte[] lengthPrefixed(byte[] context) {
    if (context.length > MAX_CONTEXT) {
      throw new IllegalArgumentException("DKG context longer than " + MAX_CONTEXT + " bytes");
    }
    return Ciphersuite.concat(
        new byte[] {(byte) (context.length >>> 8), (byte) context.length}, context);
  }

  // ------------------------------------------------------------------ encoding helpers

  static void checkId(int id, String what) {
    if (id < 1 || id > MAX_PARTICIPANTS) {
      throw new IllegalArgumentException(
          what + " must be an identifier in 1.." + MAX_PARTICIPANTS + ", got " + id);
    }
  }

  private static void checkScalar(BigInteger s, String what) {
    if (s == null) throw new IllegalArgumentException(what + " is missing (null)");
    if (s.signum() < 0 || s.compareTo(Ciphersuite.N) >= 0) {
      throw new IllegalArgumentException(what + " is not a scalar in [0, n)");
    }
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static Round2Share readShare(Reader r) {
    r.tag(TAG_ROUND2);
    int sender = r.id("sender");
    int recipient = r.id("recipient");
    byte[] share = r.bytes("share", 32);
    byte[] sigR = r.bytes("signature R", 33);
    byte[] sigZ = r.bytes("signature z", 32);
    if (sender == recipient) throw r.error("recipient", "equals the sender " + sender);
    return new Round2Share(
        sender, recipient, r.scalar("share", share), sigR, r.scalar("signature z", sigZ));
  }

  /**
   * A decoder's answer: the value, or an error naming the message and the field. Decoders never
   * throw, whatever the bytes.
   */
  public record Decoded<T>(T value, String error) {
    public boolean isOk() {
      return error == null;
    }

    /**
     * The value.
     *
     * @throws IllegalArgumentException with the error when decoding failed
     */
    public T orThrow() {
      if (error != null) throw new IllegalArgumentException(error);
      return value;
    }

    interface Body<T> {
      T read(Reader r);
    }

    static <T> Decoded<T> of(byte[] bytes, String message, Body<T> body) {
      if (bytes == null) return new Decoded<>(null, message + ": no bytes (null)");
      Reader r = new Reader(bytes, message);
      try {
        return new Decoded<>(body.read(r), null);
      } catch (Reader.DecodeError e) {
        return new Decoded<>(null, e.getMessage());
      } catch (IllegalArgumentException e) {
        // a record constructor refused a field: off-curve point, identity, bad identifier ...
        return new Decoded<>(null, message + ": " + e.getMessage());
      }
    }
  }

  /** A cursor over message bytes; errors name the message and the field. */
  static final class Reader {
    static final class DecodeError extends RuntimeException {
      DecodeError(String message) {
        super(message, null, false, false);
      }
    }

    private final byte[] b;
    private final String message;
    private int pos;

    Reader(byte[] b, String message) {
      this.b = b;
      this.message = message;
    }

    DecodeError error(String field, String what) {
      return new DecodeError(message + ": " + field + " " + what);
    }

    void tag(byte expected) {
      int t = u8("type tag");
      if (t != expected) {
        throw error("type tag", String.format("must be %02x, got %02x", expected, t));
      }
    }

    int u8(String field) {
      if (pos + 1 > b.length)
        throw error(field, "is missing (message truncated at byte " + pos + ")");
      return b[pos++] & 0xff;
    }

    int u16(String field) {
      if (pos + 2 > b.length)
        throw error(field, "is missing (message truncated at byte " + pos + ")");
      int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    int id(String field) {
      int v = u16(field);
      if (v == 0) throw error(field, "is 0; identifiers start at 1");
      return v;
    }

    byte[] bytes(String field, int n) {
      if (pos + n > b.length) {
        throw error(
            field,
            "is truncated: needs "
                + n
                + " bytes at offset "
                + pos
                + ", "
                + (b.length - pos)
                + " left");
      }
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    BigInteger scalar(String field, byte[] bytes32) {
      BigInteger s = new BigInteger(1, bytes32);
      if (s.compareTo(Ciphersuite.N) >= 0) throw error(field, "is not below the group order n");
      return s;
    }

    void expectRemaining(String field, long n) {
      if (b.length - pos < n) {
        throw error(
            field, "is truncated: needs " + n + " more bytes, " + (b.length - pos) + " left");
      }
    }

    void end() {
      if (pos != b.length) throw error("end", "has " + (b.length - pos) + " trailing bytes");
    }
  }
}
