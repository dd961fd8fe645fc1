package dev.vigil.relayer.onchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.evm.ContractRevertException;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.node.observer.ChainReader;
import dev.vigil.node.observer.ObservedMessage;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A message published on chain A is executed by a receiver on chain B exactly once, given an
 * attestation signed in Java from the event as chain A reports it. Two anvil chains, each with its
 * own VigilCore; B's is installed with the 4-member committee that signs.
 */
class CrossChainDeliveryIT {
  static final int CHAIN_A = 2;
  static final int CHAIN_B = 3;

  static TestCommittee committee;
  static LocalChain a;
  static LocalChain b;
  static ChainReader readerA;
  static MessageReceiverContract receiver; // used from B's dev account 1, as a relayer would
  static EvmClient publisher; // A's dev account 1: the registered emitter

  @BeforeAll
  static void start() {
    committee = TestCommittee.create(new Random(3), 0, 4, Secp256k1Backends.preferred());
    EvmToolchain toolchain = EvmToolchain.locate();
    a =
        LocalChain.start(
            toolchain, Anvil.Options.defaults(1337), CHAIN_A, 0, committee.committee().members());
    b =
        LocalChain.start(
            toolchain, Anvil.Options.defaults(31338), CHAIN_B, 0, committee.committee().members());
    readerA = new ChainReader(CHAIN_A, a.rpcUrl(), a.coreAddress(), Duration.ofSeconds(10));
    publisher = a.client(1);
    MessageReceiverContract owned = b.deployReceiver();
    owned.registerEmitter(CHAIN_A, emitter(publisher));
    receiver = owned.withClient(b.client(1));
  }

  @AfterAll
  static void stop() {
    if (readerA != null) readerA.close();
    if (a != null) a.close();
    if (b != null) b.close();
  }

  static Bytes32 emitter(EvmClient account) {
    return Bytes32.leftPad(Address.fromHex(account.address()));
  }

  /** Publishes on A and reads the message back from A's receipt logs, as an observer would. */
  static Body publishOnA(EvmClient from, String text) {
    EvmClient.Published p =
        from.publishMessage(a.coreAddress(), 7, text.getBytes(StandardCharsets.UTF_8), 200);
    List<ObservedMessage> seen = readerA.messagesInTransaction(p.txHash());
    assertThat(seen).hasSize(1);
    ObservedMessage m = seen.get(0);
    assertThat(m.sequence()).isEqualTo(p.sequence());
    return new Body(
        m.timestamp(),
        m.nonce(),
        m.emitterChain(),
        Bytes32.wrap(m.emitterAddress()),
        m.sequence(),
        m.consistencyLevel(),
        m.payload());
  }

  @Test
  void messageFromAIsExecutedOnBOnceAndReplaysAreRefused() {
    Body body = publishOnA(publisher, "hello from A");
    Digest digest = body.digest();
    byte[] attestation = committee.attestQuorum(body).encode(); // signers 0, 1, 2
    assertThat(
            new AttestationVerifier(CommitteeHistory.of(committee.committee()))
                .verify(attestation)
                .isValid())
        .isTrue();
    assertThat(receiver.isExecuted(digest)).isFalse();
    long before = receiver.receivedCount();

    MessageReceiverContract.Received r = receiver.receiveMessage(attestation);

    assertThat(r.digest()).isEqualTo(digest);
    assertThat(r.emitterChain()).isEqualTo(CHAIN_A);
    assertThat(r.emitterAddress()).isEqualTo(emitter(publisher));
    assertThat(r.sequence()).isEqualTo(body.sequence());
    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("hello from A");
    assertThat(receiver.payloadOf(digest)).isEqualTo(body.payload());
    assertThat(receiver.isExecuted(digest)).isTrue();
    assertThat(receiver.receivedCount()).isEqualTo(before + 1);

    // the same attestation again: refused when the gas is estimated, nothing sent
    assertThatThrownBy(() -> receiver.receiveMessage(attestation))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("message already executed");
              assertThat(e.mined()).isFalse();
            });
    // another quorum of the same message is the same message
    byte[] otherSigners = committee.attest(body, 1, 2, 3).encode();
    assertThatThrownBy(() -> receiver.receiveMessage(otherSigners))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> assertThat(e.reason()).isEqualTo("message already executed"));
    // sent blind, as a relayer that lost a race would: the revert is mined, and its reason
    // recovered
    assertThatThrownBy(() -> receiver.receiveMessage(attestation, BigInteger.valueOf(500_000)))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("message already executed");
              assertThat(e.txHash()).isPresent();
              TransactionReceipt failed = receipt(e.txHash().get());
              assertThat(failed.isStatusOK()).isFalse();
            });
    assertThat(receiver.receivedCount()).isEqualTo(before + 1);
  }

  @Test
  void cheapPathExecutesOnceToo() {
    Body body = publishOnA(publisher, "members in calldata");
    byte[] attestation = committee.attestQuorum(body).encode();

    MessageReceiverContract.Received r =
        receiver.receiveMessageWithCommittee(attestation, committee.committee().members());

    assertThat(r.digest()).isEqualTo(body.digest());
    assertThat(receiver.payloadOf(body.digest())).isEqualTo(body.payload());
    assertThatThrownBy(
            () ->
                receiver.receiveMessageWithCommittee(attestation, committee.committee().members()))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> assertThat(e.reason()).isEqualTo("message already executed"));
    assertThatThrownBy(() -> receiver.receiveMessage(attestation))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> assertThat(e.reason()).isEqualTo("message already executed"));
  }

  @Test
  void badAttestationsAndUnknownEmittersAreRefusedWithTheirReason() {
    Body body = publishOnA(publisher, "tampered");
    byte[] tampered = committee.attestQuorum(body).encode();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> receiver.receiveMessage(tampered))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> assertThat(e.reason()).isEqualTo("VM signature invalid"));
    assertThatThrownBy(() -> receiver.receiveMessage(committee.attest(body, 0, 1).encode()))
        .isInstanceOfSatisfying(
            ContractRevertException.class, e -> assertThat(e.reason()).isEqualTo("no quorum"));

    Body stranger = publishOnA(a.client(0), "not a registered emitter");
    assertThatThrownBy(() -> receiver.receiveMessage(committee.attestQuorum(stranger).encode()))
        .isInstanceOfSatisfying(
            ContractRevertException.class,
            e -> assertThat(e.reason()).isEqualTo("emitter not registered"));

    assertThat(receiver.isExecuted(body.digest())).isFalse();
    assertThat(receiver.isExecuted(stranger.digest())).isFalse();
    assertThat(receiver.payloadOf(body.digest())).isEmpty();
  }

  @Test
  void onlyTheOwnerRegistersEmitters() {
    assertThat(receiver.registeredEmitter(CHAIN_A)).isEqualTo(emitter(publisher));
    assertThat(receiver.core()).isEqualToIgnoringCase(b.coreAddress());
    assertThatThrownBy(() -> receiver.registerEmitter(CHAIN_A, Bytes32.ZERO))
        .isInstanceOfSatisfying(
            ContractRevertException.class, e -> assertThat(e.reason()).isEqualTo("only owner"));
    assertThat(receiver.registeredEmitter(CHAIN_A)).isEqualTo(emitter(publisher));
  }

  static TransactionReceipt receipt(String txHash) {
    try {
      return b.anvil()
          .web3j()
          .ethGetTransactionReceipt(txHash)
          .send()
          .getTransactionReceipt()
          .orElseThrow();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
