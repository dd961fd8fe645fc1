package dev.vigil.relayer.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.RejectReason;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attestations signed in Java by committees of 1, 4, 7 and 19 members, judged by VigilCore on a
 * real anvil chain (both verification paths) and by the Java {@link AttestationVerifier}: valid
 * ones are accepted by all three, each broken rule is rejected by all three, and the contract's
 * reason string and the Java reason are the pair the rule table names.
 */
class AttestationVerificationIT {
  static final int[] SIZES = {1, 4, 7, 19};
  static final long INDEX = 0;
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  static LocalChain chain;
  static final Map<Integer, TestCommittee> committees = new LinkedHashMap<>();
  static final Map<Integer, VigilCoreContract> cores = new LinkedHashMap<>();
  static final Body BODY = body();

  @BeforeAll
  static void deploy() {
    Random random = new Random(4);
    for (int n : SIZES)
      committees.put(n, TestCommittee.create(random, INDEX, n, Secp256k1Backends.preferred()));
    EvmToolchain toolchain = EvmToolchain.locate();
    chain =
        LocalChain.start(
            toolchain,
            Anvil.Options.defaults(31337),
            2,
            INDEX,
            committees.get(1).committee().members());
    // one chain, one VigilCore per committee size
    for (int n : SIZES) {
      cores.put(
          n,
          n == 1
              ? chain.core()
              : VigilCoreContract.deploy(
                  chain.client(0),
                  toolchain.artifact("VigilCore"),
                  committees.get(n).committee(),
                  LocalChain.GOVERNANCE_CHAIN,
                  Bytes32.wrap(LocalChain.governanceEmitter()),
                  Duration.ofDays(1),
                  2));
    }
  }

  @AfterAll
  static void stop() {
    if (chain != null) chain.close();
  }

  static Body body() {
    byte[] payload = new byte[100];
    new Random(7).nextBytes(payload);
    byte[] emitter = new byte[32];
    Arrays.fill(emitter, 12, 32, (byte) 0xab);
    return new Body(1_700_000_000L, 42, 5, Bytes32.wrap(emitter), 9, 1, payload);
  }

  // ------------------------------------------------------------------ the rule table

  /** How a correctly signed attestation is broken, and what each verifier must then say. */
  enum Mutation {
    NONE("", null),
    ALL_MEMBERS_SIGN("", null),
    BELOW_QUORUM("no quorum", RejectReason.TOO_FEW_SIGNATURES),
    SWAPPED_SIGNERS("signature indices must be ascending", RejectReason.INDICES_NOT_ASCENDING),
    DUPLICATE_SIGNER("signature indices must be ascending", RejectReason.INDICES_NOT_ASCENDING),
    INDEX_OUT_OF_BOUNDS("guardian index out of bounds", RejectReason.INDEX_OUT_OF_RANGE),
    HIGH_S("signature s must be low", RejectReason.BAD_SIGNATURE),
    V_IS_2("signature v must be 0 or 1", RejectReason.BAD_SIGNATURE),
    V_IS_27("signature v must be 0 or 1", RejectReason.BAD_SIGNATURE),
    FLIPPED_BODY_BYTE("VM signature invalid", RejectReason.WRONG_SIGNER),
    NON_MEMBER_SIGNER("VM signature invalid", RejectReason.WRONG_SIGNER),
    UNRECOVERABLE_R_ZERO("VM signature invalid", RejectReason.BAD_SIGNATURE),
    WRONG_COMMITTEE_INDEX("invalid guardian set", RejectReason.UNKNOWN_COMMITTEE),
    TRUNCATED_BODY("VM truncated", RejectReason.TRUNCATED),
    TRUNCATED_IN_SIGNATURES("VM truncated", RejectReason.TRUNCATED),
    TRUNCATED_HEADER("VM truncated", RejectReason.TRUNCATED),
    WRONG_VERSION("VM version incompatible", RejectReason.WRONG_VERSION);

    final String contractReason;
    final RejectReason javaReason;

    Mutation(String contractReason, RejectReason javaReason) {
      this.contractReason = contractReason;
      this.javaReason = javaReason;
    }

    boolean valid() {
      return javaReason == null;
    }

    /** Swapping needs two signatures: a committee of 1 has a quorum of 1. */
    boolean appliesTo(int size) {
      return this != SWAPPED_SIGNERS || dev.vigil.consensus.attestation.Committee.quorum(size) >= 2;
    }

    byte[] apply(TestCommittee tc) {
      int size = tc.committee().size();
      int q = tc.committee().quorum();
      byte[] quorum = tc.attestQuorum(BODY).encode();
      return switch (this) {
        case NONE -> quorum;
        case ALL_MEMBERS_SIGN -> tc.attest(BODY, IntStream.range(0, size).toArray()).encode();
        case BELOW_QUORUM -> tc.attest(BODY, IntStream.range(0, q - 1).toArray()).encode();
        case SWAPPED_SIGNERS -> {
          int[] order = IntStream.range(0, q).toArray();
          order[0] = 1;
          order[1] = 0;
          yield tc.attest(BODY, order).encode();
        }
        case DUPLICATE_SIGNER ->
            tc.attest(BODY, IntStream.concat(IntStream.range(0, q), IntStream.of(q - 1)).toArray())
                .encode();
        case INDEX_OUT_OF_BOUNDS -> set(quorum, sigOffset(q - 1), size);
        case HIGH_S -> {
          int s = sigOffset(0) + 33;
          BigInteger high = N.subtract(new BigInteger(1, Arrays.copyOfRange(quorum, s, s + 32)));
          byte[] b = quorum.clone();
          System.arraycopy(word(high), 0, b, s, 32);
          b[sigOffset(0) + 65] ^= 1; // the twin signature recovers with the other parity
          yield b;
        }
        case V_IS_2 -> set(quorum, sigOffset(0) + 65, 2);
        case V_IS_27 -> set(quorum, sigOffset(0) + 65, 27 + quorum[sigOffset(0) + 65]);
        case FLIPPED_BODY_BYTE -> {
          byte[] b = quorum.clone();
          b[b.length - 10] ^= 0x01; // a payload byte
          yield b;
        }
        case NON_MEMBER_SIGNER -> {
          LocalKeySigner outsider =
              new LocalKeySigner(
                  TestCommittee.randomKey(new Random(99)), Secp256k1Backends.preferred());
          byte[] b = quorum.clone();
          System.arraycopy(
              outsider.sign(BODY.digest().toBytes()).toBytes(), 0, b, sigOffset(0) + 1, 65);
          yield b;
        }
        case UNRECOVERABLE_R_ZERO -> {
          byte[] b = quorum.clone();
          Arrays.fill(b, sigOffset(0) + 1, sigOffset(0) + 33, (byte) 0);
          yield b;
        }
        case WRONG_COMMITTEE_INDEX -> set(quorum, 4, (int) INDEX + 1); // low byte of the u32
        case TRUNCATED_BODY -> Arrays.copyOf(quorum, sigOffset(q) + Body.MIN_LENGTH - 1);
        case TRUNCATED_IN_SIGNATURES -> Arrays.copyOf(quorum, sigOffset(q - 1) + 30);
        case TRUNCATED_HEADER -> Arrays.copyOf(quorum, 3);
        case WRONG_VERSION -> set(quorum, 0, 2);
      };
    }
  }

  static int sigOffset(int i) {
    return Attestation.HEADER_LENGTH + 66 * i;
  }

  static byte[] set(byte[] b, int offset, int value) {
    byte[] c = b.clone();
    c[offset] = (byte) value;
    return c;
  }

  static byte[] word(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    for (int size : SIZES) {
      for (Mutation m : Mutation.values()) {
        if (m.appliesTo(size)) rows.add(Arguments.of(size, m));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} members, {1}")
  @MethodSource("rows")
  void contractAndJavaVerifierAgree(int size, Mutation mutation) {
    TestCommittee tc = committees.get(size);
    VigilCoreContract core = cores.get(size);
    byte[] att = mutation.apply(tc);

    VigilCoreContract.VmResult parsed = core.parseAndVerifyVM(att);
    VigilCoreContract.AttestationCheck cheap =
        core.verifyAttestation(att, tc.committee().members());
    Verdict java = new AttestationVerifier(CommitteeHistory.of(tc.committee())).verify(att);

    assertThat(parsed.reason()).as("parseAndVerifyVM reason").isEqualTo(mutation.contractReason);
    assertThat(parsed.valid()).as("parseAndVerifyVM valid").isEqualTo(mutation.valid());
    assertThat(cheap.reason()).as("verifyAttestation reason").isEqualTo(mutation.contractReason);
    assertThat(cheap.valid()).as("verifyAttestation valid").isEqualTo(mutation.valid());
    assertThat(java.rejectReason().orElse(null))
        .as("Java verdict %s", java)
        .isEqualTo(mutation.javaReason);
    assertThat(parsed.version()).isEqualTo(att.length == 0 ? 0 : att[0] & 0xFF);

    boolean layoutOk =
        mutation.javaReason != RejectReason.TRUNCATED
            && mutation.javaReason != RejectReason.WRONG_VERSION;
    assertThat(parsed.parsed().isPresent())
        .as("parsed fields present iff the layout holds")
        .isEqualTo(layoutOk);
  }

  /**
   * The table covers every rejection of both verifiers (expiry is in WormholeMainnetIT, the members
   * check of verifyAttestation below), and one contract reason always pairs with the same Java
   * reasons. It is not a bijection: the contract names v and high-S apart where Java says
   * BAD_SIGNATURE for both, and "VM signature invalid" covers both a wrong signer and a signature
   * that recovers no key (ecrecover gives no address; Java rejects r = 0 as non-canonical).
   */
  @Test
  void mappingTableCoversEveryReason() {
    Map<String, java.util.Set<RejectReason>> table = new java.util.TreeMap<>();
    for (Mutation m : Mutation.values()) {
      if (!m.valid())
        table
            .computeIfAbsent(m.contractReason, k -> java.util.EnumSet.noneOf(RejectReason.class))
            .add(m.javaReason);
    }
    assertThat(table)
        .isEqualTo(
            Map.of(
                "VM truncated", java.util.EnumSet.of(RejectReason.TRUNCATED),
                "VM version incompatible", java.util.EnumSet.of(RejectReason.WRONG_VERSION),
                "invalid guardian set", java.util.EnumSet.of(RejectReason.UNKNOWN_COMMITTEE),
                "no quorum", java.util.EnumSet.of(RejectReason.TOO_FEW_SIGNATURES),
                "signature indices must be ascending",
                    java.util.EnumSet.of(RejectReason.INDICES_NOT_ASCENDING),
                "guardian index out of bounds",
                    java.util.EnumSet.of(RejectReason.INDEX_OUT_OF_RANGE),
                "signature v must be 0 or 1", java.util.EnumSet.of(RejectReason.BAD_SIGNATURE),
                "signature s must be low", java.util.EnumSet.of(RejectReason.BAD_SIGNATURE),
                "VM signature invalid",
                    java.util.EnumSet.of(RejectReason.WRONG_SIGNER, RejectReason.BAD_SIGNATURE)));
    java.util.Set<RejectReason> covered = java.util.EnumSet.noneOf(RejectReason.class);
    table.values().forEach(covered::addAll);
    // expiry is covered elsewhere; the v2 (threshold) reasons by ThresholdAttestationTest and forge
    assertThat(java.util.EnumSet.complementOf(java.util.EnumSet.copyOf(covered)))
        .containsExactly(
            RejectReason.EXPIRED_COMMITTEE,
            RejectReason.NO_GROUP_KEY,
            RejectReason.BAD_THRESHOLD_SIGNATURE);
  }

  @ParameterizedTest(name = "{0} members")
  @ValueSource(ints = {1, 4, 7, 19})
  void parsedFieldsAreTheSignedOnes(int size) {
    TestCommittee tc = committees.get(size);
    Attestation a = tc.attestQuorum(BODY);
    VigilCoreContract.VmResult r = cores.get(size).parseAndVerifyVM(a.encode());

    assertThat(r.valid()).isTrue();
    VigilCoreContract.ParsedVm vm = r.parsed().orElseThrow();
    assertThat(vm.body()).isEqualTo(BODY);
    assertThat(vm.hash()).isEqualTo(BODY.digest());
    assertThat(vm.committeeIndex()).isEqualTo(INDEX);
    assertThat(vm.signatures()).hasSize(a.signatures().size());
    for (int i = 0; i < vm.signatures().size(); i++) {
      var sig = a.signatures().get(i);
      assertThat(vm.signatures().get(i))
          .isEqualTo(
              new VigilCoreContract.VmSignature(
                  sig.signerIndex(),
                  Bytes32.wrap(sig.signature().r()),
                  Bytes32.wrap(sig.signature().s()),
                  sig.signature().v() + 27));
    }
    assertThat(cores.get(size).verifyAttestation(a.encode(), tc.committee().members()).digest())
        .isEqualTo(BODY.digest());
  }

  /**
   * verifyAttestation only: members that do not hash to the stored committee are refused whatever
   * they sign.
   */
  @ParameterizedTest(name = "{0} members")
  @ValueSource(ints = {1, 4, 7, 19})
  void cheapPathRefusesOtherMembers(int size) {
    TestCommittee tc = committees.get(size);
    int otherSize = size == 1 ? 4 : 1;
    List<dev.vigil.signing.Address> others = committees.get(otherSize).committee().members();
    List<dev.vigil.signing.Address> reversed = new ArrayList<>(tc.committee().members());
    java.util.Collections.reverse(reversed);
    byte[] att = tc.attestQuorum(BODY).encode();

    assertThat(cores.get(size).verifyAttestation(att, others))
        .isEqualTo(
            new VigilCoreContract.AttestationCheck(
                false, "committee keys do not match", BODY.digest()));
    if (size > 1) {
      assertThat(cores.get(size).verifyAttestation(att, reversed).reason())
          .isEqualTo("committee keys do not match");
    }
    assertThat(cores.get(size).verifyAttestation(att, tc.committee().members()).valid()).isTrue();
  }
}
