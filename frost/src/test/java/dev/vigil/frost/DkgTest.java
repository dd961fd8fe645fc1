package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Distributed key generation in process: honest runs, cheaters, false complaints, replays. */
class DkgTest {
  private static final long SEED = 0xD4C6L;
  private static final byte[] MESSAGE = "vigil dkg attestation".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom random = FrostProtocolTest.seeded(SEED);
  private final Frost frost = Frost.create();

  /** n participants of one run, with chosen coefficients so a test can act as any of them. */
  static final class Run {
    final int t;
    final int n;
    final byte[] context;
    final Map<Integer, DkgParticipant> p = new TreeMap<>();
    final Map<Integer, List<BigInteger>> coefficients = new TreeMap<>();
    final List<Dkg.Round2Share> delivered = new ArrayList<>();

    Run(int t, int n, String runId, SecureRandom random) {
      this.t = t;
      this.n = n;
      this.context = Dkg.context(7, runId);
      for (int i = 1; i <= n; i++) {
        List<BigInteger> coeffs = new ArrayList<>();
        for (int k = 0; k < t; k++) coeffs.add(new BigInteger(250, random).add(BigInteger.ONE));
        coefficients.put(i, coeffs);
        p.put(i, DkgParticipant.start(i, n, context, coeffs, random));
      }
    }

    void round1() {
      for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= n; j++) {
          // through the wire format, as the lead will carry it
          byte[] wire = p.get(i).round1Package().encode();
          if (i != j) p.get(j).receiveRound1(Dkg.Round1Package.decode(wire).orThrow());
        }
      }
    }

    /** Everyone's shares, through {@code tamper}, to their recipients; the complaints made. */
    List<Dkg.Complaint> round2(UnaryOperator<Dkg.Round2Share> tamper) {
      List<Dkg.Round2Share> all = new ArrayList<>();
      for (DkgParticipant x : p.values()) all.addAll(x.round2Shares());
      List<Dkg.Complaint> complaints = new ArrayList<>();
      for (Dkg.Round2Share s : all) {
        Dkg.Round2Share sent = Dkg.Round2Share.decode(tamper.apply(s).encode()).orThrow();
        delivered.add(sent);
        p.get(sent.recipient()).receiveRound2(sent).ifPresent(complaints::add);
      }
      return complaints;
    }

    Map<Integer, Dkg.Result> finish() {
      Map<Integer, Dkg.Result> out = new TreeMap<>();
      for (DkgParticipant x : p.values()) out.put(x.identifier(), x.finish());
      return out;
    }

    /** A share from {@code sender} to {@code recipient} with a chosen value, validly signed. */
    Dkg.Round2Share signed(int sender, int recipient, BigInteger value, SecureRandom random) {
      return Dkg.signedShare(
          context,
          sender,
          recipient,
          value,
          coefficients.get(sender).get(0),
          p.get(sender).round1Package().constantCommitment(),
          random);
    }
  }

  private Run honestRun(int t, int n, String runId) {
    Run run = new Run(t, n, runId, random);
    run.round1();
    assertThat(run.round2(s -> s)).isEmpty();
    return run;
  }

  @ParameterizedTest(name = "{0}-of-{1}")
  @CsvSource({"3, 4", "5, 7"})
  void honestParticipantsAgreeOnTheKeyAndAnyTOfThemSignButTMinusOneCannot(int t, int n) {
    Run run = honestRun(t, n, "honest-" + t + "-" + n);
    byte[] transcript = run.p.get(1).round1Transcript();
    for (DkgParticipant x : run.p.values()) assertThat(x.round1Transcript()).isEqualTo(transcript);
    Map<Integer, Dkg.Result> results = run.finish();
    PublicKeyPackage pub = results.get(1).publicKeys();
    byte[] groupKey = pub.groupKey();
    for (Dkg.Result r : results.values()) {
      assertThat(r.groupKey()).isEqualTo(groupKey);
      assertThat(r.publicKeys()).isEqualTo(pub);
      assertThat(r.keyPackage().groupKey()).isEqualTo(groupKey);
      assertThat(r.keyPackage().minSigners()).isEqualTo(t);
      assertThat(r.keyPackage().verifyingShare())
          .isEqualTo(pub.verifyingShare(r.keyPackage().identifier()));
      assertThat(r.toString()).contains("redacted");
    }
    // the group key is the sum of the constant terms
    BigInteger secret = BigInteger.ZERO;
    for (List<BigInteger> c : run.coefficients.values()) secret = secret.add(c.get(0));
    secret = secret.mod(Ciphersuite.N);
    assertThat(groupKey).isEqualTo(GroupOps.bouncyCastle().mulBase(secret));
    assertThat(results.get(1).evmFriendly()).isEqualTo(KeyGeneration.isEvmFriendly(groupKey));

    Random rnd = new Random(SEED + n);
    for (int trial = 0; trial < 4; trial++) {
      List<Integer> ids = new ArrayList<>(run.p.keySet());
      Collections.shuffle(ids, rnd);
      List<Integer> signers = ids.subList(0, t);
      FrostSignature sig = sign(results, signers, pub);
      assertThat(frost.verify(sig, MESSAGE, groupKey)).as("signers %s", signers).isTrue();

      // t - 1: their shares interpolate to something else, and their key packages refuse to sign
      List<Integer> few = ids.subList(0, t - 1);
      BigInteger s = BigInteger.ZERO;
      for (int id : few) {
        s =
            s.add(
                KeyGeneration.lagrangeCoefficient(id, few)
                    .multiply(results.get(id).keyPackage().signingShare()));
      }
      assertThat(s.mod(Ciphersuite.N)).as("t - 1 = %s recombine", few).isNotEqualTo(secret);
      KeyPackage k0 = results.get(few.get(0)).keyPackage();
      SigningNonces n0 = frost.commit(k0, random);
      List<SigningCommitment> cs = new ArrayList<>(List.of(n0.commitment()));
      for (int id : few.subList(1, few.size())) {
        cs.add(frost.commit(results.get(id).keyPackage(), random).commitment());
      }
      assertThatThrownBy(() -> frost.sign(k0, n0, MESSAGE, cs))
          .hasMessageContaining("this key needs at least " + t);

      // ... and with packages that claim threshold t - 1, their signature does not verify
      Map<Integer, Dkg.Result> lying = new TreeMap<>();
      Map<Integer, byte[]> verifying = new TreeMap<>();
      for (int id : run.p.keySet()) verifying.put(id, pub.verifyingShare(id));
      PublicKeyPackage lyingPub = new PublicKeyPackage(groupKey, verifying, t - 1);
      for (int id : few) {
        KeyPackage k = results.get(id).keyPackage();
        lying.put(
            id,
            new Dkg.Result(
                KeyPackage.of(id, k.signingShareBytes(), groupKey, t - 1), lyingPub, true));
      }
      assertThatThrownBy(() -> sign(lying, few, lyingPub))
          .hasMessageContaining("aggregate does not");
    }
  }

  private FrostSignature sign(
      Map<Integer, Dkg.Result> results, List<Integer> signers, PublicKeyPackage pub) {
    Map<Integer, SigningNonces> nonces = new TreeMap<>();
    List<SigningCommitment> commitments = new ArrayList<>();
    for (int id : signers) {
      SigningNonces x = frost.commit(results.get(id).keyPackage(), random);
      nonces.put(id, x);
      commitments.add(x.commitment());
    }
    List<SignatureShare> shares = new ArrayList<>();
    for (int id : signers) {
      shares.add(frost.sign(results.get(id).keyPackage(), nonces.get(id), MESSAGE, commitments));
    }
    return frost.aggregate(commitments, MESSAGE, shares, pub);
  }

  @ParameterizedTest(name = "{0}-of-{1}, participant {2} cheats against {3}")
  @CsvSource({"3, 4, 3, 1", "5, 7, 6, 2"})
  void aCheaterWhoSendsOneWrongShareIsNamedEverywhereAndCannotClearItself(
      int t, int n, int cheater, int victim) {
    Run run = new Run(t, n, "cheat-" + n, random);
    run.round1();
    Dkg.Round2Share[] wrong = new Dkg.Round2Share[1];
    List<Dkg.Complaint> complaints =
        run.round2(
            s -> {
              if (s.sender() != cheater || s.recipient() != victim) return s;
              wrong[0] = run.signed(cheater, victim, s.share().add(BigInteger.ONE), random);
              return wrong[0];
            });
    assertThat(complaints).hasSize(1);
    Dkg.Complaint complaint = complaints.get(0);
    assertThat(complaint.complainer()).isEqualTo(victim);
    assertThat(complaint.accused()).isEqualTo(cheater);
    assertThat(complaint.evidence()).contains(wrong[0]);
    // over the wire
    complaint = Dkg.Complaint.decode(complaint.encode()).orThrow();

    // the cheater reveals the share it sent (fails too), or its honest one (signed evidence wins)
    Dkg.ComplaintAnswer revealedWrong = new Dkg.ComplaintAnswer(wrong[0]);
    Dkg.ComplaintAnswer revealedRight = run.p.get(cheater).answer(complaint);
    assertThat(revealedRight.revealed().share()).isNotEqualTo(wrong[0].share());
    Set<Integer> blamed = new TreeSet<>();
    for (DkgParticipant x : run.p.values()) {
      if (x.identifier() == cheater) continue;
      for (Dkg.ComplaintAnswer a : Arrays.asList(revealedWrong, revealedRight, null)) {
        Dkg.Verdict v = x.judge(complaint, a);
        assertThat(v.finding())
            .as("at %d, answer %s", x.identifier(), a)
            .isEqualTo(Dkg.Finding.ACCUSED_AT_FAULT);
        assertThat(v.faulty()).hasValue(cheater);
      }
      blamed.addAll(x.blamed());
      assertThatThrownBy(x::finish).hasMessageContaining("[" + cheater + "] at fault");
    }
    assertThat(blamed).containsExactly(cheater);
    // the judge alone, on the evidence without evidence: the cheater's revealed wrong share fails
    Dkg.Verdict noEvidence =
        Dkg.judge(
            run.context,
            new Dkg.Complaint(victim, cheater, Optional.empty()),
            run.p.get(cheater).round1Package(),
            revealedWrong);
    assertThat(noEvidence.faulty()).hasValue(cheater);
    assertThat(noEvidence.reason()).contains("off its committed polynomial");

    // the rerun without the cheater (renumbered 1..n-1, a new run id) succeeds
    Run rerun = honestRun(t, n - 1, "cheat-" + n + "-rerun");
    Map<Integer, Dkg.Result> results = rerun.finish();
    assertThat(results.values().stream().map(r -> Arrays.toString(r.groupKey())).distinct())
        .hasSize(1);
  }

  @Test
  void aFalseComplaintAboutAValidShareIsJudgedAgainstTheComplainer() {
    Run run = new Run(3, 4, "false-complaint", random);
    run.round1();
    assertThat(run.round2(s -> s)).isEmpty();
    Dkg.Round2Share received =
        run.delivered.stream().filter(s -> s.sender() == 4 && s.recipient() == 2).findFirst().get();
    // 2 complains about 4's good share, showing it as it is
    Dkg.Complaint showing = new Dkg.Complaint(2, 4, Optional.of(received));
    // or with an altered value under 4's signature
    Dkg.Round2Share altered =
        new Dkg.Round2Share(
            4,
            2,
            received.share().add(BigInteger.TWO),
            received.signatureR(),
            received.signatureZ());
    Dkg.Complaint forged = new Dkg.Complaint(2, 4, Optional.of(altered));
    Dkg.ComplaintAnswer answer = run.p.get(4).answer(showing);
    for (DkgParticipant x : run.p.values()) {
      if (x.identifier() == 2) continue;
      Dkg.Verdict v1 = x.judge(showing, answer);
      assertThat(v1.finding()).isEqualTo(Dkg.Finding.COMPLAINER_AT_FAULT);
      assertThat(v1.faulty()).hasValue(2);
      assertThat(v1.reason()).contains("false complaint");
      Dkg.Verdict v2 = x.judge(forged, null);
      assertThat(v2.faulty()).hasValue(2);
      assertThat(v2.reason()).contains("not a share signed by 4");
      assertThat(x.blamed()).containsExactly(2);
    }
  }

  @Test
  void aComplaintWithoutEvidenceIsResolvedByAValidAnswerOrConvictsASilentAccused() {
    Run run = new Run(3, 4, "no-evidence", random);
    run.round1();
    // 3's share to 1 arrives with a broken signature: 1 cannot prove anything, so it asks
    List<Dkg.Complaint> complaints =
        run.round2(
            s ->
                s.sender() == 3 && s.recipient() == 1
                    ? new Dkg.Round2Share(
                        3, 1, s.share(), s.signatureR(), s.signatureZ().add(BigInteger.ONE))
                    : s);
    assertThat(complaints).hasSize(1);
    Dkg.Complaint c = complaints.get(0);
    assertThat(c.evidence()).isEmpty();
    assertThat(c.accused()).isEqualTo(3);
    assertThatThrownBy(() -> run.p.get(1).finish()).hasMessageContaining("open complaints");

    // silence convicts the accused (judged at a bystander, which keeps its own state)
    Dkg.Verdict silent = Dkg.judge(run.context, c, run.p.get(3).round1Package(), null);
    assertThat(silent.faulty()).hasValue(3);

    // a valid signed answer resolves it: 1 adopts the share, nobody is blamed, the run finishes
    Dkg.ComplaintAnswer answer =
        Dkg.ComplaintAnswer.decode(run.p.get(3).answer(c).encode()).orThrow();
    for (DkgParticipant x : run.p.values()) {
      if (x.identifier() == 3) continue;
      Dkg.Verdict v = x.judge(c, answer);
      assertThat(v.finding()).isEqualTo(Dkg.Finding.RESOLVED_BY_ANSWER);
      assertThat(v.faulty()).isEmpty();
    }
    Map<Integer, Dkg.Result> results = run.finish();
    assertThat(results.values().stream().map(r -> Arrays.toString(r.groupKey())).distinct())
        .hasSize(1);
    assertThat(sign(results, List.of(1, 3, 4), results.get(1).publicKeys())).isNotNull();
  }

  @Test
  void aBadProofOfKnowledgeIsRejectedNamingTheSender() {
    Run run = new Run(3, 4, "run-1", random);
    Run other = new Run(3, 4, "run-2", random);
    DkgParticipant receiver = run.p.get(1);

    // 2's package replayed from another run id
    assertThatThrownBy(() -> receiver.receiveRound1(other.p.get(2).round1Package()))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(2))
        .hasMessageContaining("proof of knowledge of participant 2 does not verify");

    // 2's proof with another constant term
    Dkg.Round1Package good = run.p.get(2).round1Package();
    List<byte[]> swapped = new ArrayList<>(good.commitment());
    swapped.set(0, GroupOps.bouncyCastle().mulBase(BigInteger.valueOf(12345)));
    assertThatThrownBy(
            () ->
                receiver.receiveRound1(
                    new Dkg.Round1Package(2, swapped, good.proofR(), good.proofMu())))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(2));

    // 3's package relabelled as 2's
    Dkg.Round1Package p3 = run.p.get(3).round1Package();
    assertThatThrownBy(
            () ->
                receiver.receiveRound1(
                    new Dkg.Round1Package(2, p3.commitment(), p3.proofR(), p3.proofMu())))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(2));

    // a proof for the same constant term but a mangled mu
    assertThatThrownBy(
            () ->
                receiver.receiveRound1(
                    new Dkg.Round1Package(
                        2, good.commitment(), good.proofR(), good.proofMu().add(BigInteger.ONE))))
        .isInstanceOf(DkgException.class);

    // a committee index is part of the context too
    DkgParticipant otherCommittee = DkgParticipant.start(2, 3, 4, Dkg.context(8, "run-1"), random);
    assertThatThrownBy(() -> receiver.receiveRound1(otherCommittee.round1Package()))
        .isInstanceOf(DkgException.class);

    // the genuine one is still accepted afterwards
    receiver.receiveRound1(good);
  }

  @Test
  void everyStepValidatesItsInputsNamingTheSender() {
    Run run = new Run(3, 4, "validation", random);
    DkgParticipant one = run.p.get(1);
    Dkg.Round1Package p2 = run.p.get(2).round1Package();

    assertThatThrownBy(one::round2Shares)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no round-1 package yet from [2, 3, 4]");
    assertThatThrownBy(() -> one.receiveRound1(one.round1Package()))
        .isInstanceOf(DkgException.class)
        .hasMessageContaining("its own");
    DkgParticipant outsider = DkgParticipant.start(5, 3, 5, run.context, random);
    assertThatThrownBy(() -> one.receiveRound1(outsider.round1Package()))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(5))
        .hasMessageContaining("not in this run");
    DkgParticipant wrongT = DkgParticipant.start(2, 2, 4, run.context, random);
    assertThatThrownBy(() -> one.receiveRound1(wrongT.round1Package()))
        .isInstanceOf(DkgException.class)
        .hasMessageContaining("commits to 2 coefficients, this run needs 3");
    one.receiveRound1(p2);
    assertThatThrownBy(() -> one.receiveRound1(p2))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(2))
        .hasMessageContaining("second round-1 package from participant 2");
    assertThatThrownBy(one::finish).isInstanceOf(IllegalStateException.class);

    run.p
        .values()
        .forEach(
            x -> {
              for (DkgParticipant y : run.p.values()) {
                if (x != y && !(x == one && y.identifier() == 2))
                  x.receiveRound1(y.round1Package());
              }
            });
    Dkg.Round2Share from3 = run.p.get(3).round2Shares().get(0); // to 1
    assertThat(from3.recipient()).isEqualTo(1);
    assertThatThrownBy(() -> one.receiveRound2(from3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still in round 1");
    one.round2Shares();
    assertThatThrownBy(() -> one.receiveRound1(p2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("past round 1");
    Dkg.Round2Share to2 = run.p.get(3).round2Shares().get(1);
    assertThatThrownBy(() -> one.receiveRound2(to2))
        .isInstanceOfSatisfying(DkgException.class, e -> assertThat(e.participant()).isEqualTo(3))
        .hasMessageContaining("addressed to 2, not to 1");
    assertThat(one.receiveRound2(from3)).isEmpty();
    assertThatThrownBy(() -> one.receiveRound2(from3))
        .isInstanceOf(DkgException.class)
        .hasMessageContaining("second round-2 share from participant 3");
    assertThatThrownBy(one::finish).hasMessageContaining("no valid round-2 share yet from [2, 4]");

    // malformed values: named, and no secret in any message
    assertThatThrownBy(
            () -> new Dkg.Round2Share(3, 1, Ciphersuite.N, from3.signatureR(), from3.signatureZ()))
        .hasMessage("round-2 share from 3 to 1 is not a scalar in [0, n)");
    assertThatThrownBy(
            () -> new Dkg.Round1Package(2, List.of(Points.notOnCurve()), p2.proofR(), p2.proofMu()))
        .hasMessageContaining("VSS commitment 0 of participant 2 is not a point on secp256k1");
    assertThatThrownBy(
            () -> new Dkg.Round1Package(2, List.of(GroupOps.identity()), p2.proofR(), p2.proofMu()))
        .hasMessageContaining("identity");
    assertThatThrownBy(() -> DkgParticipant.start(5, 3, 4, run.context, random))
        .hasMessageContaining("1..4");
    String shareHex = dev.vigil.signing.Hex.encode(Ciphersuite.serializeScalar(from3.share()));
    assertThat(from3.toString()).doesNotContain(shareHex.substring(2)).contains("redacted");
    assertThat(one.toString()).contains("redacted");
  }

  /** Reruns with new run ids until the group key is acceptable (EVM friendly in production). */
  static Map<Integer, Dkg.Result> runUntilAcceptable(
      int t,
      int n,
      String runIdBase,
      SecureRandom random,
      Predicate<byte[]> acceptable,
      List<String> refusedRuns) {
    for (int attempt = 1; ; attempt++) {
      Run run = new Run(t, n, runIdBase + "/" + attempt, random);
      run.round1();
      if (!run.round2(s -> s).isEmpty()) throw new AssertionError("honest run complained");
      Map<Integer, Dkg.Result> out = new TreeMap<>();
      for (DkgParticipant x : run.p.values()) out.put(x.identifier(), x.finish(acceptable));
      Set<Boolean> verdicts = new TreeSet<>();
      out.values().forEach(r -> verdicts.add(r.evmFriendly()));
      if (verdicts.size() != 1) throw new AssertionError("participants disagree on friendliness");
      if (verdicts.contains(true)) return out;
      refusedRuns.add(runIdBase + "/" + attempt);
    }
  }

  @Test
  void aGroupKeyThatIsNotEvmFriendlyIsReportedAndTheRunIsRepeatedWithANewRunId() {
    int[] asked = {0};
    List<String> refused = new ArrayList<>();
    // every participant asks once per run; refuse the first two runs (4 participants each)
    Map<Integer, Dkg.Result> results =
        runUntilAcceptable(3, 4, "evm", random, key -> asked[0]++ >= 8, refused);
    assertThat(refused).containsExactly("evm/1", "evm/2");
    assertThat(results.get(1).evmFriendly()).isTrue();
    assertThat(KeyGeneration.isEvmFriendly(results.get(1).groupKey())).isTrue();
    // with the real rule, a random key is friendly at once (probability 1 - 2^-128)
    List<String> none = new ArrayList<>();
    runUntilAcceptable(2, 3, "evm-real", random, KeyGeneration::isEvmFriendly, none);
    assertThat(none).isEmpty();
    assertThat(
            new Dkg.Result(results.get(1).keyPackage(), results.get(1).publicKeys(), false)
                .toString())
        .contains("NOT EVM friendly");
  }

  @Test
  void contextsDifferByCommitteeAndRunId() {
    assertThat(Dkg.context(1, "a")).isNotEqualTo(Dkg.context(2, "a"));
    assertThat(Dkg.context(1, "a")).isNotEqualTo(Dkg.context(1, "b"));
    assertThatThrownBy(() -> Dkg.context(-1, "a")).hasMessageContaining("committee index");
    assertThatThrownBy(() -> Dkg.context(1, new byte[0])).hasMessageContaining("run id");
  }
}
