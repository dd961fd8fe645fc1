package dev.vigil.consensus.governance;

import static dev.vigil.consensus.governance.RotationError.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

class GovernanceTest {
  /** Wormhole's governance emitter: Solana (chain 1), address 0x…04. */
  static final GovernanceRules WORMHOLE =
      new GovernanceRules(1, Bytes32.fromHex("00".repeat(31) + "04"));

  static Attestation upgradeVaa() {
    return AttestationCodec.decode(MainnetVectors.vaa(MainnetVectors.UPGRADE_4_TO_5).bytes())
        .orElseThrow();
  }

  static byte[] upgradePayload() {
    return upgradeVaa().body().payload();
  }

  @Test
  void mainnetGuardianSetUpgradeDecodesTo19MembersOfSet5() {
    CommitteeRotation rotation = GovernanceCodec.decodeRotation(upgradePayload()).orElseThrow();
    assertThat(rotation.newIndex()).isEqualTo(5);
    assertThat(rotation.targetChain()).isZero();
    assertThat(rotation.members()).hasSize(19);
    // set 5 kept 16 of set 4's guardians at their indices and replaced those at 6, 14 and 15
    Committee set4 = MainnetVectors.guardianSet4();
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < 19; i++)
      if (!rotation.members().get(i).equals(set4.member(i))) changed.add(i);
    assertThat(changed).containsExactly(6, 14, 15);
    assertThat(rotation.members().get(6))
        .isEqualTo(Address.fromHex("0x938f104aeb5581293216ce97d771e0cb721221b1"));
    assertThat(rotation.members().get(15))
        .isEqualTo(Address.fromHex("0x43ac8f567a31e7850da532b361988bfe0d3ae11b"));
    assertThat(rotation.encode()).isEqualTo(upgradePayload());
  }

  @Test
  void mainnetUpgradeIsAnAcceptableRotationFromSet4() {
    Attestation vaa = upgradeVaa();
    AttestationVerifier verifier =
        new AttestationVerifier(CommitteeHistory.of(MainnetVectors.guardianSet4()));
    assertThat(verifier.verify(vaa)).isEqualTo(Verdict.VALID);
    assertThat(WORMHOLE.isGovernance(vaa.body())).isTrue();
    RotationResult result = WORMHOLE.checkRotation(vaa, 4);
    assertThat(result.isOk()).as(result.toString()).isTrue();
    CommitteeHistory after =
        CommitteeHistory.of(MainnetVectors.guardianSet4())
            .rotate(result.orElseThrow().toCommittee(), Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(after.currentIndex()).isEqualTo(5);
    assertThat(after.current().size()).isEqualTo(19);
  }

  // ---- payload rule table

  static Stream<Arguments> payloadRows() {
    byte[] core = "Core".getBytes(StandardCharsets.US_ASCII);
    int members = CommitteeRotation.FIXED_LENGTH;
    return Stream.of(
        row("empty", p -> new byte[0], BAD_LENGTH, "module field"),
        row("31 bytes", p -> Arrays.copyOf(p, 31), BAD_LENGTH, "module field"),
        row("module \"Cord\"", p -> set(p, 31, 'd'), WRONG_MODULE, "module is 0x"),
        row("module \"core\" (lower case)", p -> set(p, 28, 'c'), WRONG_MODULE, "\"Core\""),
        row(
            "module right-padded",
            p -> {
              byte[] c = p.clone();
              Arrays.fill(c, 0, 32, (byte) 0);
              System.arraycopy(core, 0, c, 0, 4);
              return c;
            },
            WRONG_MODULE,
            "left-padded"),
        row(
            "module \"TokenBridge\"",
            p -> {
              byte[] c = p.clone();
              byte[] tb = "TokenBridge".getBytes(StandardCharsets.US_ASCII);
              Arrays.fill(c, 0, 32, (byte) 0);
              System.arraycopy(tb, 0, c, 32 - tb.length, tb.length);
              return c;
            },
            WRONG_MODULE,
            "module"),
        row("ends after the module", p -> Arrays.copyOf(p, 32), BAD_LENGTH, "action"),
        row("action 1 (contract upgrade)", p -> set(p, 32, 1), WRONG_ACTION, "action is 1"),
        row("action 3", p -> set(p, 32, 3), WRONG_ACTION, "action is 3"),
        row("ends inside the chain", p -> Arrays.copyOf(p, 34), BAD_LENGTH, "chain"),
        row("ends inside the new index", p -> Arrays.copyOf(p, 37), BAD_LENGTH, "new index"),
        row("ends before the member count", p -> Arrays.copyOf(p, 39), BAD_LENGTH, "member count"),
        row("member count 0", p -> set(p, 39, 0), ZERO_MEMBERS, "member count is 0"),
        row(
            "member count 0 and no members",
            p -> set(Arrays.copyOf(p, 40), 39, 0),
            ZERO_MEMBERS,
            "at least 1"),
        row(
            "member count 20 for 19 addresses",
            p -> set(p, 39, 20),
            BAD_LENGTH,
            "inside member #19"),
        row(
            "member count 18 for 19 addresses",
            p -> set(p, 39, 18),
            BAD_LENGTH,
            "20 bytes after the last of 18"),
        row("member count 255", p -> set(p, 39, 255), BAD_LENGTH, "member count is 255"),
        row(
            "last address cut short",
            p -> Arrays.copyOf(p, p.length - 1),
            BAD_LENGTH,
            "inside member #18"),
        row(
            "one byte appended",
            p -> Arrays.copyOf(p, p.length + 1),
            BAD_LENGTH,
            "1 bytes after the last"),
        row("member #5 repeats member #2", p -> copyMember(p, 2, 5), DUPLICATE_MEMBER, "member #5"),
        row(
            "last member repeats the first",
            p -> copyMember(p, 0, 18),
            DUPLICATE_MEMBER,
            "repeats member #0"),
        row(
            "member #0 is the zero address",
            p -> {
              byte[] c = p.clone();
              Arrays.fill(c, members, members + 20, (byte) 0);
              return c;
            },
            ZERO_ADDRESS_MEMBER,
            "member #0"));
  }

  static Arguments row(
      String name, UnaryOperator<byte[]> mutate, RotationError error, String detail) {
    return Arguments.of(name, mutate, error, detail);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloadRows")
  void badPayloadIsRejectedNamingTheField(
      String name, UnaryOperator<byte[]> mutate, RotationError error, String detail) {
    RotationResult result = GovernanceCodec.decodeRotation(mutate.apply(upgradePayload()));
    assertThat(result).isInstanceOf(RotationResult.Err.class);
    RotationResult.Err err = (RotationResult.Err) result;
    assertThat(err.error()).as(err.toString()).isEqualTo(error);
    assertThat(err.detail()).contains(detail);
  }

  @Test
  void payloadCutAtEveryLengthIsBadLength() {
    byte[] p = upgradePayload();
    for (int len = 0; len < p.length; len++) {
      RotationResult r = GovernanceCodec.decodeRotation(Arrays.copyOf(p, len));
      assertThat(r).as("length " + len).isInstanceOf(RotationResult.Err.class);
      assertThat(((RotationResult.Err) r).error())
          .as("length " + len + ": " + r)
          .isEqualTo(BAD_LENGTH);
    }
  }

  @Test
  void hostilePayloadsNeverThrow() {
    Random rnd = new Random(99);
    byte[] p = upgradePayload();
    int ok = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] in;
      if (i % 2 == 0) {
        in = new byte[rnd.nextInt(120)];
        rnd.nextBytes(in);
      } else {
        in = Arrays.copyOf(p, Math.max(0, p.length + rnd.nextInt(41) - 20));
        if (in.length > 0) in[rnd.nextInt(in.length)] = (byte) rnd.nextInt(256);
      }
      RotationResult r = GovernanceCodec.decodeRotation(in);
      if (r.isOk()) {
        ok++;
        assertThat(r.orElseThrow().encode()).isEqualTo(in);
      }
    }
    assertThat(ok)
        .as("some single-byte changes (inside an address or the index) still decode")
        .isPositive();
    assertThat(GovernanceCodec.decodeRotation(null).isOk()).isFalse();
  }

  // ---- governance validity table: rotations signed by a test committee at index 4

  static final TestCommittee SIGNERS =
      TestCommittee.create(new Random(5), 4, 4, Secp256k1Backends.bouncyCastle());

  static Attestation rotation(
      int emitterChain, Bytes32 emitter, long signedBy, int targetChain, long newIndex) {
    List<Address> members = List.of(SIGNERS.signer(3).address(), SIGNERS.signer(2).address());
    byte[] payload = new CommitteeRotation(targetChain, newIndex, members).encode();
    Body body = new Body(1_700_000_000L, 0, emitterChain, emitter, 9, 32, payload);
    Attestation a = SIGNERS.attestQuorum(body);
    return Attestation.v1(signedBy, a.signatures(), body);
  }

  static Stream<Arguments> validityRows() {
    Bytes32 gov = WORMHOLE.emitterAddress();
    Bytes32 other = Bytes32.fromHex("00".repeat(31) + "05");
    return Stream.of(
        Arguments.of("acceptable: chain 0, 4 -> 5", rotation(1, gov, 4, 0, 5), 0, null),
        Arguments.of("acceptable: targets this chain", rotation(1, gov, 4, 2, 5), 2, null),
        Arguments.of("emitter on another chain", rotation(2, gov, 4, 0, 5), 0, WRONG_EMITTER),
        Arguments.of("another emitter address", rotation(1, other, 4, 0, 5), 0, WRONG_EMITTER),
        Arguments.of("targets another chain", rotation(1, gov, 4, 2, 5), 0, WRONG_TARGET_CHAIN),
        Arguments.of("targets a third chain", rotation(1, gov, 4, 3, 5), 2, WRONG_TARGET_CHAIN),
        Arguments.of(
            "signed by an older committee", rotation(1, gov, 3, 0, 5), 0, WRONG_SIGNING_COMMITTEE),
        Arguments.of("newIndex = current + 2", rotation(1, gov, 4, 0, 6), 0, WRONG_NEW_INDEX),
        Arguments.of("newIndex = current (replay)", rotation(1, gov, 4, 0, 4), 0, WRONG_NEW_INDEX),
        Arguments.of("newIndex = current - 1", rotation(1, gov, 4, 0, 3), 0, WRONG_NEW_INDEX));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validityRows")
  void rotationValidityAsGovernance(
      String name, Attestation a, int localChain, RotationError expected) {
    RotationResult r = WORMHOLE.checkRotation(a, 4, localChain);
    if (expected == null) {
      assertThat(r.isOk()).as(r.toString()).isTrue();
      assertThat(r.orElseThrow().toCommittee().index()).isEqualTo(5);
    } else {
      assertThat(r).as(r.toString()).isInstanceOf(RotationResult.Err.class);
      assertThat(((RotationResult.Err) r).error()).isEqualTo(expected);
    }
  }

  @Test
  void mainnetUpgradeIsNotARotationForAnotherCurrentCommittee() {
    assertThat(WORMHOLE.checkRotation(upgradeVaa(), 5))
        .isEqualTo(
            new RotationResult.Err(
                WRONG_SIGNING_COMMITTEE,
                "rotation is signed by committee 4, it must be signed by the current committee 5"));
    GovernanceRules otherEmitter =
        new GovernanceRules(1, Bytes32.fromHex(Hex.encode(new byte[32])));
    assertThat(otherEmitter.checkRotation(upgradeVaa(), 4)).isInstanceOf(RotationResult.Err.class);
  }

  static byte[] set(byte[] p, int offset, int value) {
    byte[] c = p.clone();
    c[offset] = (byte) value;
    return c;
  }

  static byte[] copyMember(byte[] p, int from, int to) {
    byte[] c = p.clone();
    int base = CommitteeRotation.FIXED_LENGTH;
    System.arraycopy(c, base + from * 20, c, base + to * 20, 20);
    return c;
  }
}
