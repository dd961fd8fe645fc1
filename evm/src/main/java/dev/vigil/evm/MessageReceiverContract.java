package dev.vigil.evm;

import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;

/**
 * Typed access to the example destination application (contracts/src/MessageReceiver.sol): it
 * executes each attested message from a registered emitter once. Reverts raise {@link
 * ContractRevertException} with the contract's reason, e.g. "message already executed", "emitter
 * not registered", or VigilCore's verification reason ("no quorum", "VM signature invalid").
 */
public final class MessageReceiverContract {
  static final Event MESSAGE_RECEIVED =
      new Event(
          "MessageReceived",
          List.of(
              new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>(true) {},
              new TypeReference<Uint16>(true) {},
              new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>(true) {},
              new TypeReference<Uint64>() {},
              new TypeReference<DynamicBytes>() {}));
  static final String MESSAGE_RECEIVED_TOPIC = EventEncoder.encode(MESSAGE_RECEIVED);

  private final EvmClient client;
  private final String address;

  private MessageReceiverContract(EvmClient client, String address) {
    this.client = Objects.requireNonNull(client, "client");
    this.address = Objects.requireNonNull(address, "address");
  }

  public static MessageReceiverContract at(EvmClient client, String address) {
    return new MessageReceiverContract(client, address);
  }

  /**
   * Deploys a receiver that verifies with the VigilCore at {@code coreAddress}; the client's
   * account owns it.
   */
  public static MessageReceiverContract deploy(
      EvmClient client, ContractArtifact artifact, String coreAddress) {
    return new MessageReceiverContract(
        client, client.deploy(artifact, List.of(new org.web3j.abi.datatypes.Address(coreAddress))));
  }

  public String address() {
    return address;
  }

  /** The same contract, used from another account (e.g. a relayer's). */
  public MessageReceiverContract withClient(EvmClient other) {
    return new MessageReceiverContract(other, address);
  }

  /** The message a MessageReceived event reports, and the transaction that executed it. */
  public record Received(
      Digest digest,
      int emitterChain,
      Bytes32 emitterAddress,
      long sequence,
      byte[] payload,
      String txHash,
      long gasUsed) {
    public Received {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** Accepts {@code emitter} as the one emitter of {@code chain} (owner only). */
  public TransactionReceipt registerEmitter(int chain, Bytes32 emitter) {
    return client.execute(
        address,
        new Function(
            "registerEmitter",
            List.of(
                new Uint16(chain),
                new org.web3j.abi.datatypes.generated.Bytes32(emitter.toBytes())),
            List.of()));
  }

  /**
   * {@code receiveMessage(bytes)}: verifies through VigilCore.parseAndVerifyVM and executes. The
   * gas is estimated first, so a message that would revert (replay, bad attestation, unregistered
   * emitter) is refused without sending a transaction.
   */
  public Received receiveMessage(byte[] attestation) {
    return received(client.execute(address, receiveMessageCall(attestation)));
  }

  /**
   * {@code receiveMessage(bytes)} sent with a fixed gas limit and no estimate, as a relayer racing
   * another one would see it: a revert is mined, paid for, and raised with the transaction.
   */
  public Received receiveMessage(byte[] attestation, BigInteger gasLimit) {
    return received(client.execute(address, receiveMessageCall(attestation), gasLimit));
  }

  /**
   * {@code receiveMessageWithCommittee(bytes, address[])}: the cheaper path with the members passed
   * in.
   */
  public Received receiveMessageWithCommittee(byte[] attestation, List<Address> members) {
    return received(
        client.execute(
            address,
            new Function(
                "receiveMessageWithCommittee",
                List.of(new DynamicBytes(attestation), VigilCoreContract.addresses(members)),
                List.of())));
  }

  /** The payload of an executed message; empty if the digest was not executed. */
  public byte[] payloadOf(Digest digest) {
    return ((DynamicBytes)
            call("payloadOf", List.of(bytes32(digest)), new TypeReference<DynamicBytes>() {}))
        .getValue();
  }

  public boolean isExecuted(Digest digest) {
    return ((Bool) call("isExecuted", List.of(bytes32(digest)), new TypeReference<Bool>() {}))
        .getValue();
  }

  /** The emitter registered for {@code chain}, zero if none. */
  public Bytes32 registeredEmitter(int chain) {
    return Bytes32.wrap(
        ((org.web3j.abi.datatypes.generated.Bytes32)
                call(
                    "registeredEmitters",
                    List.of(new Uint16(chain)),
                    new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}))
            .getValue());
  }

  public long receivedCount() {
    return ((Uint256) call("receivedCount", List.of(), new TypeReference<Uint256>() {}))
        .getValue()
        .longValueExact();
  }

  /** The VigilCore this receiver verifies with. */
  public String core() {
    return ((org.web3j.abi.datatypes.Address)
            call("core", List.of(), new TypeReference<org.web3j.abi.datatypes.Address>() {}))
        .getValue();
  }

  private static Function receiveMessageCall(byte[] attestation) {
    return new Function("receiveMessage", List.of(new DynamicBytes(attestation)), List.of());
  }

  private Received received(TransactionReceipt r) {
    for (Log log : r.getLogs()) {
      if (address.equalsIgnoreCase(log.getAddress())
          && !log.getTopics().isEmpty()
          && MESSAGE_RECEIVED_TOPIC.equalsIgnoreCase(log.getTopics().get(0))) {
        var v = Contract.staticExtractEventParameters(MESSAGE_RECEIVED, log);
        return new Received(
            Digest.wrap(
                ((org.web3j.abi.datatypes.generated.Bytes32) v.getIndexedValues().get(0))
                    .getValue()),
            ((Uint16) v.getIndexedValues().get(1)).getValue().intValueExact(),
            Bytes32.wrap(
                ((org.web3j.abi.datatypes.generated.Bytes32) v.getIndexedValues().get(2))
                    .getValue()),
            ((Uint64) v.getNonIndexedValues().get(0)).getValue().longValue(),
            ((DynamicBytes) v.getNonIndexedValues().get(1)).getValue(),
            r.getTransactionHash(),
            r.getGasUsed().longValueExact());
      }
    }
    throw new IllegalStateException(
        "tx " + r.getTransactionHash() + " to " + address + " emitted no MessageReceived");
  }

  @SuppressWarnings("rawtypes")
  private <T extends Type> Type call(String name, List<Type> args, TypeReference<T> out) {
    return client.call(address, new Function(name, args, List.of(out))).get(0);
  }

  private static org.web3j.abi.datatypes.generated.Bytes32 bytes32(Digest d) {
    return new org.web3j.abi.datatypes.generated.Bytes32(d.toBytes());
  }

  @Override
  public String toString() {
    return "MessageReceiver@" + address;
  }
}
