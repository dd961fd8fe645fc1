package dev.vigil.relayer.onchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.RejectReason;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceCodec;
import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.evm.ContractRevertException;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VigilCore with Wormhole's mainnet guardian set 4 installed as committee 4 (governance emitter
 * chain 1, 0x…04, as on mainnet) accepts real mainnet VAAs, and rotates to guardian set 5 with the
 * real guardian-set-upgrade VAA. Tests that rotate deploy their own VigilCore on the one chain.
 */
class WormholeMainnetIT {
  static final Duration WINDOW = Duration.ofDays(1);
  static final Committee SET_4 = MainnetVectors.guardianSet4();
  static final MainnetVectors.Vaa UPGRADE = MainnetVectors.vaa(MainnetVectors.UPGRADE_4_TO_5);
  static final MainnetVectors.Vaa TRANSFER = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER);

  static EvmToolchain toolchain;
  static LocalChain chain;

  @BeforeAll
  static void start() {
    toolchain = EvmToolchain.locate();
    chain =
        LocalChain.start(
            toolchain, Anvil.Options.defaults(31337), 2, SET_4.index(), SET_4.members());
  }

  @AfterAll
  static void stop() {
    if (chain != null) chain.close();
  }

  static VigilCoreContract freshCore() {
    return VigilCoreContract.deploy(
        chain.client(0),
        toolchain.artifact("VigilCore"),
        SET_4,
        LocalChain.GOVERNANCE_CHAIN,
        Bytes32.wrap(LocalChain.governanceEmitter()),
        WINDOW,
        chain.vigilChainId());
  }

  static List<MainnetVectors.Vaa> vaas() {
    return MainnetVectors.vaas();
  }

  static CommitteeRotation upgrade() {
    return GovernanceCodec.decodeRotation(
            AttestationCodec.decode(UPGRADE.bytes()).orElseThrow().body().payload())
        .orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vaas")
  void mainnetVaaIsAcceptedOnBothPaths(MainnetVectors.Vaa vaa) {
    VigilCoreContract core = chain.core();
    VigilCoreContract.VmResult parsed = core.parseAndVerifyVM(vaa.bytes());
    assertThat(parsed.reason()).isEmpty();
    assertThat(parsed.valid()).isTrue();
    VigilCoreContract.ParsedVm vm = parsed.parsed().orElseThrow();
    assertThat(vm.hash()).isEqualTo(vaa.digest());
    assertThat(vm.committeeIndex()).isEqualTo(4);
    assertThat(vm.signatures()).hasSize(13);
    assertThat(vm.body()).isEqualTo(AttestationCodec.decode(vaa.bytes()).orElseThrow().body());

    assertThat(core.verifyAttestation(vaa.bytes(), SET_4.members()))
        .isEqualTo(new VigilCoreContract.AttestationCheck(true, "", vaa.digest()));
    assertThat(new AttestationVerifier(CommitteeHistory.of(SET_4)).verify(vaa.bytes()).isValid())
        .isTrue();
  }

  @Test
  void upgradeVaaRotatesToGuardianSet5OnceOnly() {
    VigilCoreContract core = freshCore();
    CommitteeRotation expected = upgrade();
    assertThat(expected.members()).hasSize(19);
    assertThat(core.currentCommitteeIndex()).isEqualTo(4);
    assertThat(core.committeeMembers(5)).isEmpty();

    VigilCoreContract.Rotation rotation = core.submitNewGuardianSet(UPGRADE.bytes());

    assertThat(rotation.oldIndex()).isEqualTo(4);
    assertThat(rotation.newIndex()).isEqualTo(5);
    assertThat(rotation.members()).isEqualTo(expected.members());
    assertThat(core.currentCommitteeIndex()).isEqualTo(5);
    assertThat(core.committeeMembers(5)).isEqualTo(expected.members());
    assertThat(core.committeeMembers(4)).isEqualTo(SET_4.members());
    assertThat(core.committeeExpiry(4))
        .isEqualTo(chain.anvil().latestTimestamp() + WINDOW.toSeconds());
    assertThat(core.committeeExpiry(5)).isZero();
    assertThat(core.governanceActionIsConsumed(UPGRADE.digest())).isTrue();

    // the replay is signed by set 4, which is no longer current: refused before it is sent
    assertThatThrownBy(() -> core.submitNewGuardianSet(UPGRADE.bytes()))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("not signed by current guardian set");
              assertThat(e.mined()).isFalse();
            });
    assertThat(core.currentCommitteeIndex()).isEqualTo(5);
  }

  /**
   * After the rotation set 4 still verifies for the expiry window, then both verifiers say it
   * expired.
   */
  @Test
  void replacedGuardianSetExpiresAfterTheWindow() {
    VigilCoreContract core = freshCore();
    core.submitNewGuardianSet(UPGRADE.bytes());
    Instant rotatedAt = Instant.ofEpochSecond(chain.anvil().latestTimestamp());
    CommitteeHistory history =
        CommitteeHistory.of(SET_4).rotate(upgrade().toCommittee(), rotatedAt);

    assertThat(core.parseAndVerifyVM(TRANSFER.bytes()).valid()).isTrue();
    assertThat(core.verifyAttestation(TRANSFER.bytes(), SET_4.members()).valid()).isTrue();
    assertThat(
            javaVerifier(history, chain.anvil().latestTimestamp())
                .verify(TRANSFER.bytes())
                .isValid())
        .isTrue();

    chain.anvil().increaseTime(WINDOW.plusSeconds(1));

    assertThat(core.parseAndVerifyVM(TRANSFER.bytes()).reason())
        .isEqualTo("guardian set has expired");
    assertThat(core.verifyAttestation(TRANSFER.bytes(), SET_4.members()).reason())
        .isEqualTo("guardian set has expired");
    assertThat(
            javaVerifier(history, chain.anvil().latestTimestamp())
                .verify(TRANSFER.bytes())
                .rejectReason())
        .contains(RejectReason.EXPIRED_COMMITTEE);
  }

  static AttestationVerifier javaVerifier(CommitteeHistory history, long chainTime) {
    return new AttestationVerifier(
        history,
        Secp256k1Backends.preferred(),
        Clock.fixed(Instant.ofEpochSecond(chainTime), ZoneOffset.UTC),
        WINDOW);
  }
}
