package dev.vigil.consensus.attestation;

import static dev.vigil.consensus.attestation.RejectReason.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.governance.GovernanceCodec;
import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Digest;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttestationVerifierTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Committee SET4 = MainnetVectors.guardianSet4();
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

  static AttestationVerifier verifier(CommitteeSource committees, Instant now, Secp256k1 backend) {
    return new AttestationVerifier(
        committees,
        backend,
        Clock.fixed(now, ZoneOffset.UTC),
        AttestationVerifier.DEFAULT_EXPIRY_WINDOW);
  }

  /** Guardian set 4 is the current committee. */
  static AttestationVerifier set4Current() {
    return verifier(CommitteeHistory.of(SET4), NOW, Secp256k1Backends.preferred());
  }

  static Stream<MainnetVectors.Vaa> vaas() {
    return MainnetVectors.vaas().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vaas")
  void mainnetVaaVerifiesAgainstGuardianSet4WithEveryBackend(MainnetVectors.Vaa vaa) {
    for (Secp256k1 backend :
        List.of(Secp256k1Backends.preferred(), Secp256k1Backends.bouncyCastle())) {
      AttestationVerifier v = verifier(CommitteeHistory.of(SET4), NOW, backend);
      assertThat(v.verify(vaa.bytes())).as(backend.name()).isEqualTo(Verdict.VALID);
      assertThat(v.verify(AttestationCodec.decode(vaa.bytes()).orElseThrow()))
          .isEqualTo(Verdict.VALID);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vaas")
  void eachMainnetSignatureVerifiesOnItsOwn(MainnetVectors.Vaa vaa) {
    Attestation a = AttestationCodec.decode(vaa.bytes()).orElseThrow();
    AttestationVerifier v = set4Current();
    for (GuardianSignature s : a.signatures()) {
      assertThat(v.verifySignature(SET4, vaa.digest(), s))
          .as("signer " + s.signerIndex())
          .isEqualTo(Verdict.VALID);
      GuardianSignature elsewhere =
          new GuardianSignature((s.signerIndex() + 1) % SET4.size(), s.signature());
      assertThat(v.verifySignature(SET4, vaa.digest(), elsewhere).rejectReason())
          .contains(WRONG_SIGNER);
    }
    GuardianSignature first = a.signatures().getFirst();
    assertThat(
            v.verifySignature(SET4, vaa.digest(), new GuardianSignature(19, first.signature()))
                .rejectReason())
        .contains(INDEX_OUT_OF_RANGE);
    assertThat(v.verifySignature(SET4, vaa.digest(), highS(first)).rejectReason())
        .contains(BAD_SIGNATURE);
  }

  // ---- the rule table: one mutation of a real VAA per row, each with the reason it must be
  // rejected for

  record Row(String name, UnaryOperator<byte[]> mutate, RejectReason expected) {}

  static Stream<Arguments> mutations() {
    List<Arguments> out = new ArrayList<>();
    for (MainnetVectors.Vaa vaa : MainnetVectors.vaas()) {
      for (Row row : rows(vaa.bytes()))
        out.add(Arguments.of(vaa.name() + ": " + row.name(), vaa, row));
    }
    return out.stream();
  }

  static List<Row> rows(byte[] vaa) {
    Attestation a = AttestationCodec.decode(vaa).orElseThrow();
    int n = a.signatures().size();
    int body = bodyOffset(vaa);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("version 1 -> 2", set(0, 2), WRONG_VERSION));
    rows.add(new Row("version 1 -> 0", set(0, 0), WRONG_VERSION));
    rows.add(
        new Row("committee index 4 -> 5 (newer than current)", xor(4, 0x01), UNKNOWN_COMMITTEE));
    rows.add(new Row("committee index 4 -> 0 (never known)", xor(4, 0x04), UNKNOWN_COMMITTEE));
    rows.add(new Row("committee index high byte flipped", xor(1, 0x80), UNKNOWN_COMMITTEE));
    rows.add(
        new Row(
            "signature count 13 -> 12 (last signature read as body)",
            set(5, 12),
            TOO_FEW_SIGNATURES));
    rows.add(new Row("signature count 13 -> 0", set(5, 0), TOO_FEW_SIGNATURES));
    // the 14th "signature" starts at the body, whose first byte (timestamp high byte, 0x67/0x69) is
    // no signer index
    rows.add(
        new Row(
            "signature count 13 -> 14 (body read as a signature)", set(5, 14), INDEX_OUT_OF_RANGE));
    rows.add(new Row("signature count 13 -> 141 (runs past the end)", xor(5, 0x80), TRUNCATED));
    rows.add(new Row("signature count 13 -> 255", set(5, 255), TRUNCATED));
    for (int i = 0; i < n; i++) {
      int sig = sigOffset(i);
      GuardianSignature gs = a.signatures().get(i);
      rows.add(
          new Row(
              "signer index of #" + i + " flipped to " + (gs.signerIndex() ^ 0x80),
              xor(sig, 0x80),
              INDEX_OUT_OF_RANGE));
      rows.add(
          new Row(
              "signer index of #" + i + " = 19 (committee size)",
              set(sig, 19),
              INDEX_OUT_OF_RANGE));
      if (i > 0) {
        int prev = a.signatures().get(i - 1).signerIndex();
        rows.add(
            new Row(
                "signer index of #" + i + " = previous index " + prev,
                set(sig, prev),
                INDICES_NOT_ASCENDING));
      }
      rows.add(
          new Row(
              "r of #" + i + ": one bit flipped, still a curve x",
              setR(i, flipR(gs, true)),
              WRONG_SIGNER));
      rows.add(
          new Row(
              "r of #" + i + ": one bit flipped, not a curve x",
              setR(i, flipR(gs, false)),
              BAD_SIGNATURE));
      rows.add(new Row("s of #" + i + ": low bit flipped", xor(sig + 64, 0x01), WRONG_SIGNER));
      rows.add(new Row("v of #" + i + ": 0 <-> 1", xor(sig + 65, 0x01), WRONG_SIGNER));
      rows.add(
          new Row("high-S twin of #" + i + " (s' = n - s, v flipped)", highSAt(i), BAD_SIGNATURE));
    }
    rows.add(new Row("r of #0 = 0", setR(0, BigInteger.ZERO), BAD_SIGNATURE));
    rows.add(new Row("r of #0 = n", setR(0, N), BAD_SIGNATURE));
    rows.add(
        new Row(
            "r of #0 = 2^256 - 1",
            setR(0, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
            BAD_SIGNATURE));
    rows.add(new Row("s of #0 = 0", setS(0, BigInteger.ZERO), BAD_SIGNATURE));
    rows.add(new Row("s of #0 = n", setS(0, N), BAD_SIGNATURE));
    rows.add(new Row("s of #0 top bit set (high-S)", xor(sigOffset(0) + 33, 0x80), BAD_SIGNATURE));
    rows.add(new Row("v of #0 = 2", set(sigOffset(0) + 65, 2), BAD_SIGNATURE));
    rows.add(new Row("v of #0 = 27 (Ethereum style)", set(sigOffset(0) + 65, 27), BAD_SIGNATURE));
    rows.add(
        new Row("v of last = 28 (Ethereum style)", set(sigOffset(n - 1) + 65, 28), BAD_SIGNATURE));
    rows.add(new Row("timestamp flipped", xor(body + 3, 0x01), WRONG_SIGNER));
    rows.add(new Row("nonce flipped", xor(body + 4, 0x01), WRONG_SIGNER));
    rows.add(new Row("emitter chain flipped", xor(body + 9, 0x01), WRONG_SIGNER));
    rows.add(new Row("emitter address first byte flipped", xor(body + 10, 0x01), WRONG_SIGNER));
    rows.add(new Row("emitter address last byte flipped", xor(body + 41, 0x01), WRONG_SIGNER));
    rows.add(new Row("sequence flipped", xor(body + 49, 0x01), WRONG_SIGNER));
    rows.add(new Row("consistency level flipped", xor(body + 50, 0x01), WRONG_SIGNER));
    rows.add(new Row("payload first byte flipped", xor(body + 51, 0x01), WRONG_SIGNER));
    rows.add(new Row("payload last byte flipped", xor(vaa.length - 1, 0x01), WRONG_SIGNER));
    rows.add(
        new Row(
            "one byte appended (joins the payload)",
            b -> Arrays.copyOf(b, b.length + 1),
            WRONG_SIGNER));
    rows.add(
        new Row("last payload byte removed", b -> Arrays.copyOf(b, b.length - 1), WRONG_SIGNER));
    rows.add(
        new Row(
            "signatures #0 and #1 swapped", editSigs(l -> swap(l, 0, 1)), INDICES_NOT_ASCENDING));
    rows.add(
        new Row(
            "signatures reversed",
            editSigs(AttestationVerifierTest::reversed),
            INDICES_NOT_ASCENDING));
    rows.add(
        new Row(
            "signature #1 replaced by a copy of #0",
            editSigs(l -> set(l, 1, l.get(0))),
            INDICES_NOT_ASCENDING));
    rows.add(
        new Row(
            "signature #5 duplicated in place (14 signatures)",
            editSigs(l -> insert(l, 6, l.get(5))),
            INDICES_NOT_ASCENDING));
    rows.add(
        new Row(
            "last signature dropped (12 < quorum 13)",
            editSigs(l -> l.subList(0, l.size() - 1)),
            TOO_FEW_SIGNATURES));
    rows.add(
        new Row(
            "first signature dropped (12 < quorum 13)",
            editSigs(l -> l.subList(1, l.size())),
            TOO_FEW_SIGNATURES));
    rows.add(new Row("all signatures dropped", editSigs(l -> List.of()), TOO_FEW_SIGNATURES));
    rows.add(
        new Row(
            "a member's signature moved to an unused member index",
            editSigs(AttestationVerifierTest::moveToGap),
            WRONG_SIGNER));
    rows.add(
        new Row(
            "signature #0 by a non-member key",
            editSigs(l -> set(l, 0, outsider(l.get(0).signerIndex(), a.digest()))),
            WRONG_SIGNER));
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void mutatedMainnetVaaIsRejectedForTheRightReason(String name, MainnetVectors.Vaa vaa, Row row) {
    byte[] mutated = row.mutate().apply(vaa.bytes());
    assertThat(mutated).as("the mutation changes the bytes").isNotEqualTo(vaa.bytes());
    Verdict verdict = set4Current().verify(mutated);
    assertThat(verdict.rejectReason()).as(verdict.toString()).contains(row.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vaas")
  void truncatedAtEveryLengthIsRejected(MainnetVectors.Vaa vaa) {
    byte[] full = vaa.bytes();
    int minimum = bodyOffset(full) + Body.MIN_LENGTH;
    AttestationVerifier v = set4Current();
    for (int len = 0; len < full.length; len++) {
      byte[] prefix = Arrays.copyOf(full, len);
      Verdict verdict = v.verify(prefix);
      // below the smallest body the cut is visible; above it the payload merely got shorter
      RejectReason expected = len < minimum ? TRUNCATED : WRONG_SIGNER;
      assertThat(verdict.rejectReason()).as("length " + len + ": " + verdict).contains(expected);
      if (len < minimum) {
        assertThat(AttestationCodec.decode(prefix)).isInstanceOf(DecodeResult.Err.class);
      }
    }
  }

  @Test
  void highSTwinRecoversToTheSameKeyYetIsRejected() {
    MainnetVectors.Vaa vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER);
    Attestation a = AttestationCodec.decode(vaa.bytes()).orElseThrow();
    GuardianSignature s = a.signatures().get(3);
    Secp256k1 bc = Secp256k1Backends.bouncyCastle();
    // the twin is a valid ECDSA signature of the same signer: only the canonical-form rule stops it
    assertThat(bc.recoverAddress(vaa.digest().toBytes(), highS(s).signature()))
        .isEqualTo(SET4.member(s.signerIndex()));
    Verdict verdict = set4Current().verifySignature(SET4, vaa.digest(), highS(s));
    assertThat(verdict.rejectReason()).contains(BAD_SIGNATURE);
    assertThat(((Verdict.Rejected) verdict).detail()).contains("high-S");
  }

  @Test
  void versionIsCheckedOnDecodedAttestationsToo() {
    Attestation a =
        AttestationCodec.decode(MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes())
            .orElseThrow();
    Attestation v2 = new Attestation(2, a.committeeIndex(), a.signatures(), a.body());
    assertThat(set4Current().verify(v2).rejectReason()).contains(WRONG_VERSION);
  }

  // ---- committee expiry: guardian set 4 replaced by set 5 (from the real upgrade VAA) at NOW

  static Committee set5() {
    Attestation upgrade =
        AttestationCodec.decode(MainnetVectors.vaa(MainnetVectors.UPGRADE_4_TO_5).bytes())
            .orElseThrow();
    return GovernanceCodec.decodeRotation(upgrade.body().payload()).orElseThrow().toCommittee();
  }

  static Stream<Arguments> expiryWindow() {
    Duration day = Duration.ofHours(24);
    return Stream.of(
        Arguments.of("replaced 1 s ago", Duration.ofSeconds(1), null),
        Arguments.of("replaced 24 h - 1 s ago (just inside the window)", day.minusSeconds(1), null),
        Arguments.of("replaced 24 h - 1 ns ago", day.minusNanos(1), null),
        Arguments.of("replaced exactly 24 h ago", day, EXPIRED_COMMITTEE),
        Arguments.of(
            "replaced 24 h + 1 s ago (just past the window)",
            day.plusSeconds(1),
            EXPIRED_COMMITTEE),
        Arguments.of("replaced 30 days ago", Duration.ofDays(30), EXPIRED_COMMITTEE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expiryWindow")
  void replacedCommitteeIsAcceptedOnlyInsideTheExpiryWindow(
      String name, Duration since, RejectReason expected) {
    CommitteeHistory history = CommitteeHistory.of(SET4).rotate(set5(), NOW);
    AttestationVerifier v = verifier(history, NOW.plus(since), Secp256k1Backends.preferred());
    for (MainnetVectors.Vaa vaa : MainnetVectors.vaas()) {
      Verdict verdict = v.verify(vaa.bytes());
      if (expected == null) assertThat(verdict).as(vaa.name()).isEqualTo(Verdict.VALID);
      else assertThat(verdict.rejectReason()).as(verdict.toString()).contains(expected);
    }
  }

  @Test
  void expiryWindowIsConfigurable() {
    CommitteeHistory history = CommitteeHistory.of(SET4).rotate(set5(), NOW);
    Clock twoHoursLater = Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC);
    byte[] vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes();
    Secp256k1 backend = Secp256k1Backends.preferred();
    assertThat(
            new AttestationVerifier(history, backend, twoHoursLater, Duration.ofHours(1))
                .verify(vaa)
                .rejectReason())
        .contains(EXPIRED_COMMITTEE);
    assertThat(
            new AttestationVerifier(history, backend, twoHoursLater, Duration.ofHours(3))
                .verify(vaa))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void olderCommitteeWithoutReplacementTimeIsNotAccepted() {
    CommitteeSource noTimes =
        new CommitteeSource() {
          @Override
          public long currentIndex() {
            return 5;
          }

          @Override
          public java.util.Optional<Committee> committee(long index) {
            return index == 4
                ? java.util.Optional.of(SET4)
                : index == 5 ? java.util.Optional.of(set5()) : java.util.Optional.empty();
          }

          @Override
          public java.util.Optional<Instant> replacedAt(long index) {
            return java.util.Optional.empty();
          }
        };
    Verdict verdict =
        verifier(noTimes, NOW, Secp256k1Backends.preferred())
            .verify(MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes());
    assertThat(verdict.rejectReason()).contains(EXPIRED_COMMITTEE);
  }

  @Test
  void rejectionNamesTheRuleAndTheCulprit() {
    byte[] vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes();
    Verdict verdict = set4Current().verify(editSigs(l -> l.subList(0, 12)).apply(vaa));
    assertThat(verdict.toString())
        .contains("TOO_FEW_SIGNATURES", "12 signatures", "needs 13", "floor(2n/3) + 1");
    Verdict wrongSigner =
        set4Current().verify(editSigs(AttestationVerifierTest::moveToGap).apply(vaa));
    assertThat(wrongSigner.toString())
        .contains("recovers to 0x", "signer 5 of committee 4 is " + SET4.member(5));
  }

  // ---- helpers

  static int sigOffset(int i) {
    return Attestation.HEADER_LENGTH + i * GuardianSignature.ENCODED_LENGTH;
  }

  static int bodyOffset(byte[] vaa) {
    return sigOffset(vaa[5] & 0xFF);
  }

  static UnaryOperator<byte[]> xor(int offset, int mask) {
    return b -> {
      byte[] c = b.clone();
      c[offset] ^= (byte) mask;
      return c;
    };
  }

  static UnaryOperator<byte[]> set(int offset, int value) {
    return b -> {
      byte[] c = b.clone();
      c[offset] = (byte) value;
      return c;
    };
  }

  static UnaryOperator<byte[]> setR(int i, BigInteger r) {
    return b -> put32(b, sigOffset(i) + 1, r);
  }

  static UnaryOperator<byte[]> setS(int i, BigInteger s) {
    return b -> put32(b, sigOffset(i) + 33, s);
  }

  static byte[] put32(byte[] b, int off, BigInteger x) {
    byte[] c = b.clone();
    byte[] v = x.toByteArray();
    Arrays.fill(c, off, off + 32, (byte) 0);
    int len = Math.min(v.length, 32);
    System.arraycopy(v, v.length - len, c, off + 32 - len, len);
    return c;
  }

  static UnaryOperator<byte[]> editSigs(UnaryOperator<List<GuardianSignature>> edit) {
    return b -> {
      Attestation a = AttestationCodec.decode(b).orElseThrow();
      return Attestation.v1(
              a.committeeIndex(), edit.apply(new ArrayList<>(a.signatures())), a.body())
          .encode();
    };
  }

  /** Replaces signature #i by its high-S twin. */
  static UnaryOperator<byte[]> highSAt(int i) {
    return editSigs(l -> set(l, i, highS(l.get(i))));
  }

  static List<GuardianSignature> set(List<GuardianSignature> l, int i, GuardianSignature s) {
    l.set(i, s);
    return l;
  }

  static List<GuardianSignature> insert(List<GuardianSignature> l, int i, GuardianSignature s) {
    l.add(i, s);
    return l;
  }

  static List<GuardianSignature> swap(List<GuardianSignature> l, int i, int j) {
    GuardianSignature t = l.get(i);
    l.set(i, l.get(j));
    l.set(j, t);
    return l;
  }

  static List<GuardianSignature> reversed(List<GuardianSignature> l) {
    return new ArrayList<>(l.reversed());
  }

  /**
   * Moves the first signature that precedes a gap in the indices into the gap (still ascending).
   */
  static List<GuardianSignature> moveToGap(List<GuardianSignature> l) {
    for (int i = 0; i + 1 < l.size(); i++) {
      int index = l.get(i).signerIndex();
      if (l.get(i + 1).signerIndex() > index + 1) {
        l.set(i, new GuardianSignature(index + 1, l.get(i).signature()));
        return l;
      }
    }
    throw new IllegalStateException("no gap in signer indices");
  }

  static GuardianSignature highS(GuardianSignature gs) {
    Signature s = gs.signature();
    BigInteger twin = N.subtract(new BigInteger(1, s.s()));
    return new GuardianSignature(
        gs.signerIndex(),
        Signature.of(s.r(), Arrays.copyOfRange(put32(new byte[32], 0, twin), 0, 32), s.v() ^ 1));
  }

  static GuardianSignature outsider(int signerIndex, Digest digest) {
    LocalKeySigner outsider =
        new LocalKeySigner(
            TestCommittee.randomKey(new Random(7)), Secp256k1Backends.bouncyCastle());
    assertThat(SET4.indexOf(outsider.address())).isEmpty();
    return new GuardianSignature(signerIndex, outsider.sign(digest.toBytes()));
  }

  /** r with the lowest bit flip that lands (or does not land) on an x coordinate of the curve. */
  static BigInteger flipR(GuardianSignature gs, boolean onCurve) {
    BigInteger r = new BigInteger(1, gs.signature().r());
    for (int bit = 0; bit < 255; bit++) {
      BigInteger candidate = r.flipBit(bit);
      if (candidate.signum() > 0 && candidate.compareTo(N) < 0 && isCurveX(candidate) == onCurve)
        return candidate;
    }
    throw new IllegalStateException("no suitable bit flip");
  }

  /** Euler's criterion: x is an x coordinate of secp256k1 iff x^3 + 7 is a square mod p. */
  static boolean isCurveX(BigInteger x) {
    BigInteger y2 = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
    return y2.signum() == 0
        || y2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }
}
