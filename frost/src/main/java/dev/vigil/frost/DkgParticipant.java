package dev.vigil.frost;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One participant of a distributed key generation ({@link Dkg}): a pure state machine, no I/O and
 * not thread-safe (the caller serializes its calls). Participants are 1..n with threshold t, all in
 * the same context ({@link Dkg#context}).
 *
 * <ol>
 *   <li>Round one: {@link #round1Package()} is broadcast; each other participant's package goes to
 *       {@link #receiveRound1}, which checks its shape and proof of knowledge.
 *   <li>Round two: once all n - 1 packages are in, {@link #round2Shares()} gives one signed share
 *       per other participant (send each privately). {@link #receiveRound2} checks a share's
 *       signature and vss_verify; a share that fails gives a {@link Dkg.Complaint} to broadcast.
 *   <li>Complaints: the accused answers with {@link #answer}; every participant runs {@link #judge}
 *       on each complaint and answer. A verdict naming a member means the run failed: exclude that
 *       member and run again with a new run id. A complaint resolved by the answer lets the
 *       complainer carry on with the revealed share.
 *   <li>{@link #finish()}: the key package and public key package, or a result that says the group
 *       key is not EVM friendly (run again with a new run id).
 * </ol>
 *
 * The round-1 broadcast must be consistent (every participant receives the same package from each
 * sender); {@link #round1Transcript()} is a hash the caller can compare across participants to
 * detect equivocation.
 */
public final class DkgParticipant {
  private enum Phase {
    ROUND1,
    ROUND2,
    FINISHED
  }

  private final int identifier;
  private final int minSigners;
  private final int maxSigners;
  private final byte[] context;
  private final SecureRandom random;
  private List<BigInteger> coefficients;
  private final Dkg.Round1Package own;
  private final Map<Integer, Dkg.Round1Package> round1 = new TreeMap<>();
  private final Map<Integer, BigInteger> shares = new TreeMap<>();
  private final Map<Integer, Dkg.Complaint> openComplaints = new TreeMap<>();
  private final Map<Integer, Dkg.Round2Share> sent = new TreeMap<>();
  private final TreeSet<Integer> blamed = new TreeSet<>();
  private Phase phase = Phase.ROUND1;

  private DkgParticipant(
      int identifier,
      int minSigners,
      int maxSigners,
      byte[] context,
      List<BigInteger> coefficients,
      SecureRandom random) {
    this.identifier = identifier;
    this.minSigners = minSigners;
    this.maxSigners = maxSigners;
    this.context = context.clone();
    this.random = random;
    this.coefficients = List.copyOf(coefficients);
    this.own = Dkg.round1Package(this.context, identifier, this.coefficients, random);
  }

  /**
   * Starts participant {@code identifier} of a t-of-n run in {@code context}: samples a random
   * polynomial of degree t - 1 and makes the round-1 package.
   *
   * @throws IllegalArgumentException unless 2 <= t <= n <= 65535 and 1 <= identifier <= n, or for
   *     an empty or too long context
   */
  public static DkgParticipant start(
      int identifier, int minSigners, int maxSigners, byte[] context, SecureRandom random) {
    checkParameters(identifier, minSigners, maxSigners, context);
    List<BigInteger> coefficients = new ArrayList<>();
    for (int k = 0; k < minSigners; k++) coefficients.add(randomNonZeroScalar(random));
    return new DkgParticipant(identifier, minSigners, maxSigners, context, coefficients, random);
  }

  /** With chosen coefficients a_0 .. a_{t-1} (tests). */
  static DkgParticipant start(
      int identifier,
      int maxSigners,
      byte[] context,
      List<BigInteger> coefficients,
      SecureRandom random) {
    checkParameters(identifier, coefficients.size(), maxSigners, context);
    return new DkgParticipant(
        identifier, coefficients.size(), maxSigners, context, coefficients, random);
  }

  private static void checkParameters(int id, int t, int n, byte[] context) {
    KeyGeneration.checkThreshold(t, n);
    if (n > Dkg.MAX_PARTICIPANTS) {
      throw new IllegalArgumentException(
          "at most " + Dkg.MAX_PARTICIPANTS + " participants, got " + n);
    }
    if (id < 1 || id > n) {
      throw new IllegalArgumentException(
          "participant identifier must be in 1.." + n + ", got " + id);
    }
    if (context == null || context.length == 0 || context.length > Dkg.MAX_CONTEXT) {
      throw new IllegalArgumentException(
          "DKG context must be 1.." + Dkg.MAX_CONTEXT + " bytes (see Dkg.context)");
    }
  }

  public int identifier() {
    return identifier;
  }

  public int minSigners() {
    return minSigners;
  }

  public int maxSigners() {
    return maxSigners;
  }

  public byte[] context() {
    return context.clone();
  }

  /** This participant's round-1 package, to broadcast. */
  public Dkg.Round1Package round1Package() {
    return own;
  }

  /**
   * Receives another participant's round-1 package.
   *
   * @throws IllegalStateException after round one
   * @throws DkgException naming the sender: unknown, itself, a duplicate, a commitment that is not
   *     t points, a proof of knowledge that does not verify in this context (another run, another
   *     constant term)
   */
  public void receiveRound1(Dkg.Round1Package p) {
    if (p == null) throw new IllegalArgumentException("round-1 package is missing (null)");
    int from = p.sender();
    if (phase != Phase.ROUND1) {
      throw new IllegalStateException(
          "participant "
              + identifier
              + " is past round 1; refusing a round-1 package from "
              + from);
    }
    checkSender(from, "round-1 package");
    if (round1.containsKey(from)) {
      throw new DkgException(from, "a second round-1 package from participant " + from);
    }
    if (p.threshold() != minSigners) {
      throw new DkgException(
          from,
          "round-1 package from participant "
              + from
              + " commits to "
              + p.threshold()
              + " coefficients, this run needs "
              + minSigners);
    }
    if (!Dkg.verifyProof(context, p)) {
      throw new DkgException(
          from,
          "the proof of knowledge of participant "
              + from
              + " does not verify in this run (another run's package, or a forged proof)");
    }
    round1.put(from, p);
  }

  /** Whether every other participant's round-1 package is in. */
  public boolean round1Complete() {
    return round1.size() == maxSigners - 1;
  }

  /** The participants whose round-1 packages are still missing. */
  public SortedSet<Integer> missingRound1() {
    TreeSet<Integer> out = new TreeSet<>();
    for (int i = 1; i <= maxSigners; i++) {
      if (i != identifier && !round1.containsKey(i)) out.add(i);
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** The round-1 package received from {@code sender}, or this participant's own. */
  public Dkg.Round1Package round1PackageOf(int sender) {
    if (sender == identifier) return own;
    Dkg.Round1Package p = round1.get(sender);
    if (p == null) {
      throw new IllegalArgumentException(
          "participant " + identifier + " has no round-1 package from " + sender);
    }
    return p;
  }

  /**
   * SHA-256 over all n round-1 packages (own included) in identifier order: equal at all
   * participants iff they saw the same broadcast.
   *
   * @throws IllegalStateException before round one is complete
   */
  public byte[] round1Transcript() {
    if (!round1Complete()) {
      throw new IllegalStateException(
          "round 1 incomplete at participant " + identifier + ": missing " + missingRound1());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(context);
    for (int i = 1; i <= maxSigners; i++) out.writeBytes(round1PackageOf(i).encode());
    return Ciphersuite.sha256(out.toByteArray());
  }

  /**
   * Round two: the signed share f_self(j) for every other participant j, in identifier order. Send
   * each only to its recipient, encrypted. Moves to round two; may be called again for the same
   * shares.
   *
   * @throws IllegalStateException while round-1 packages are missing, or after the run finished
   */
  public List<Dkg.Round2Share> round2Shares() {
    if (phase == Phase.FINISHED) {
      throw new IllegalStateException("participant " + identifier + " has finished its DKG run");
    }
    if (!round1Complete()) {
      throw new IllegalStateException(
          "participant "
              + identifier
              + " cannot send round-2 shares: no round-1 package yet from "
              + missingRound1());
    }
    if (phase == Phase.ROUND1) {
      BigInteger a0 = coefficients.get(0);
      byte[] c0 = own.constantCommitment();
      for (int j = 1; j <= maxSigners; j++) {
        if (j == identifier) continue;
        BigInteger share = Polynomials.evaluate(BigInteger.valueOf(j), coefficients);
        sent.put(j, Dkg.signedShare(context, identifier, j, share, a0, c0, random));
      }
      shares.put(identifier, Polynomials.evaluate(BigInteger.valueOf(identifier), coefficients));
      phase = Phase.ROUND2;
    }
    return List.copyOf(sent.values());
  }

  /**
   * Receives a round-2 share addressed to this participant. Returns a complaint to broadcast when
   * the share's signature does not verify (complaint without evidence: the sender must answer) or
   * the share fails vss_verify against the sender's commitment (complaint with the signed share as
   * evidence); empty when the share is good and kept.
   *
   * @throws IllegalStateException before this participant's round two (call {@link #round2Shares()}
   *     first; buffer early shares) or after it finished
   * @throws DkgException naming the sender: unknown, itself, not addressed here, a second share
   */
  public Optional<Dkg.Complaint> receiveRound2(Dkg.Round2Share s) {
    if (s == null) throw new IllegalArgumentException("round-2 share is missing (null)");
    int from = s.sender();
    if (phase != Phase.ROUND2) {
      throw new IllegalStateException(
          "participant "
              + identifier
              + (phase == Phase.ROUND1 ? " is still in round 1" : " has finished")
              + "; refusing a round-2 share from "
              + from);
    }
    checkSender(from, "round-2 share");
    if (s.recipient() != identifier) {
      throw new DkgException(
          from,
          "round-2 share from participant "
              + from
              + " is addressed to "
              + s.recipient()
              + ", not to "
              + identifier);
    }
    if (shares.containsKey(from) || openComplaints.containsKey(from)) {
      throw new DkgException(from, "a second round-2 share from participant " + from);
    }
    Dkg.Round1Package p = round1.get(from);
    if (!Dkg.verifyShareSignature(context, s, p.constantCommitment())) {
      Dkg.Complaint c = new Dkg.Complaint(identifier, from, Optional.empty());
      openComplaints.put(from, c);
      return Optional.of(c);
    }
    if (!Dkg.vssVerify(s.share(), identifier, p)) {
      Dkg.Complaint c = new Dkg.Complaint(identifier, from, Optional.of(s));
      openComplaints.put(from, c);
      return Optional.of(c);
    }
    shares.put(from, s.share());
    return Optional.empty();
  }

  /**
   * A complaint without evidence when {@code sender}'s share never arrived (the caller's timeout).
   */
  public Dkg.Complaint complainMissing(int sender) {
    checkSender(sender, "missing-share complaint");
    if (phase != Phase.ROUND2) {
      throw new IllegalStateException("participant " + identifier + " is not in round 2");
    }
    if (shares.containsKey(sender)) {
      throw new IllegalStateException(
          "participant " + identifier + " already has a valid share from " + sender);
    }
    Dkg.Complaint c = new Dkg.Complaint(identifier, sender, Optional.empty());
    openComplaints.put(sender, c);
    return c;
  }

  /**
   * This participant's answer to a complaint against it: the signed share it sent the complainer,
   * revealed to everyone.
   *
   * @throws IllegalArgumentException when the complaint is not against this participant
   * @throws IllegalStateException before this participant sent its shares
   */
  public Dkg.ComplaintAnswer answer(Dkg.Complaint complaint) {
    if (complaint.accused() != identifier) {
      throw new IllegalArgumentException(
          "participant "
              + identifier
              + " cannot answer a complaint against participant "
              + complaint.accused());
    }
    Dkg.Round2Share s = sent.get(complaint.complainer());
    if (s == null) {
      throw new IllegalStateException(
          "participant " + identifier + " has sent no share to " + complaint.complainer());
    }
    return new Dkg.ComplaintAnswer(s);
  }

  /**
   * Judges a complaint ({@link Dkg#judge}) with the accused's round-1 package this participant
   * holds. When this participant is the complainer and the answer resolves the complaint, it adopts
   * the revealed share.
   *
   * @param answer the accused's answer, or null when none came
   */
  public Dkg.Verdict judge(Dkg.Complaint complaint, Dkg.ComplaintAnswer answer) {
    int accused = complaint.accused();
    int complainer = complaint.complainer();
    if (accused < 1 || accused > maxSigners || complainer > maxSigners) {
      throw new DkgException(
          complainer,
          "complaint of participant "
              + complainer
              + " against "
              + accused
              + " names someone outside 1.."
              + maxSigners);
    }
    Dkg.Verdict v = Dkg.judge(context, complaint, round1PackageOf(accused), answer);
    v.faulty().ifPresent(blamed::add);
    if (complainer == identifier && v.finding() == Dkg.Finding.RESOLVED_BY_ANSWER) {
      openComplaints.remove(accused);
      shares.put(accused, answer.revealed().share());
    }
    return v;
  }

  /** The members that verdicts judged here found at fault: the run fails unless it is empty. */
  public SortedSet<Integer> blamed() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(blamed));
  }

  /**
   * Finishes the run: the signing share s = sum_i f_i(self), every participant's verifying share
   * sum_i sum_k C_ik j^k, and the group key sum_i C_i0.
   *
   * @throws IllegalStateException while shares are missing or complaints about them are open, or
   *     when a verdict found a member at fault (the run failed)
   */
  public Dkg.Result finish() {
    return finish(KeyGeneration::isEvmFriendly);
  }

  /** As above, with the EVM-friendliness test replaced (tests the rerun). */
  Dkg.Result finish(Predicate<byte[]> evmFriendly) {
    if (phase != Phase.ROUND2) {
      throw new IllegalStateException(
          "participant "
              + identifier
              + (phase == Phase.ROUND1 ? " has not sent its round-2 shares" : " already finished"));
    }
    if (!blamed.isEmpty()) {
      throw new IllegalStateException(
          "this run failed: complaints found participants "
              + blamed
              + " at fault; exclude them and run again with a new run id");
    }
    if (!openComplaints.isEmpty()) {
      throw new IllegalStateException(
          "participant "
              + identifier
              + " has open complaints against "
              + openComplaints.keySet()
              + "; the run cannot finish");
    }
    if (shares.size() != maxSigners) {
      TreeSet<Integer> missing = new TreeSet<>();
      for (int i = 1; i <= maxSigners; i++) if (!shares.containsKey(i)) missing.add(i);
      throw new IllegalStateException(
          "participant " + identifier + " has no valid round-2 share yet from " + missing);
    }
    GroupOps ops = GroupOps.preferred();
    // the sum of all commitments commits to the sum of all polynomials
    List<byte[]> summed = new ArrayList<>();
    for (int k = 0; k < minSigners; k++) {
      byte[] c = GroupOps.identity();
      for (int i = 1; i <= maxSigners; i++) c = ops.add(c, round1PackageOf(i).point(k));
      summed.add(c);
    }
    byte[] groupKey = summed.get(0);
    if (Ciphersuite.isIdentityEncoding(groupKey)) {
      throw new IllegalStateException("the group key is the identity; run again with a new run id");
    }
    BigInteger secret = BigInteger.ZERO;
    for (BigInteger s : shares.values()) secret = secret.add(s);
    secret = secret.mod(Ciphersuite.N);
    if (secret.signum() == 0) {
      throw new IllegalStateException(
          "participant " + identifier + "'s signing share is zero; run again with a new run id");
    }
    Map<Integer, byte[]> verifying = new TreeMap<>();
    for (int j = 1; j <= maxSigners; j++) {
      byte[] y = Dkg.evaluateCommitment(summed, j, ops);
      if (Ciphersuite.isIdentityEncoding(y)) {
        throw new IllegalStateException(
            "participant " + j + "'s verifying share is the identity; run again with a new run id");
      }
      verifying.put(j, y);
    }
    byte[] ownVerifying = ops.mulBase(secret);
    if (!java.util.Arrays.equals(ownVerifying, verifying.get(identifier))) {
      // cannot happen once every share passed vss_verify
      throw new IllegalStateException(
          "participant " + identifier + "'s signing share does not match its verifying share");
    }
    phase = Phase.FINISHED;
    coefficients = List.of();
    shares.clear();
    sent.clear();
    KeyPackage key = new KeyPackage(identifier, secret, ownVerifying, groupKey, minSigners);
    PublicKeyPackage pub = new PublicKeyPackage(groupKey, verifying, minSigners);
    return new Dkg.Result(key, pub, evmFriendly.test(groupKey));
  }

  private void checkSender(int from, String what) {
    if (from == identifier) {
      throw new DkgException(
          from, "participant " + identifier + " received its own " + what + " back");
    }
    if (from < 1 || from > maxSigners) {
      throw new DkgException(
          from,
          what
              + " from participant "
              + from
              + ", who is not in this run (participants 1.."
              + maxSigners
              + ")");
    }
  }

  private static BigInteger randomNonZeroScalar(SecureRandom random) {
    byte[] b = new byte[32];
    try {
      while (true) {
        random.nextBytes(b);
        BigInteger s = new BigInteger(1, b);
        if (s.signum() > 0 && s.compareTo(Ciphersuite.N) < 0) return s;
      }
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "DkgParticipant["
        + identifier
        + " of "
        + minSigners
        + "-of-"
        + maxSigners
        + ", "
        + phase
        + ", secrets redacted]";
  }
}
