package dev.vigil.evm;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;

/**
 * Typed access to a deployed VigilCore (contracts/src/IVigilCore.sol), with web3j's ABI encoder and
 * decoder. Views go through eth_call; {@link #submitNewGuardianSet} sends a transaction from the
 * client's account. A revert raises {@link ContractRevertException} with the contract's reason.
 */
public final class VigilCoreContract {
  static final Event COMMITTEE_ROTATED =
      new Event(
          "CommitteeRotated",
          List.of(
              new TypeReference<Uint32>(true) {},
              new TypeReference<Uint32>(true) {},
              new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}));
  static final String COMMITTEE_ROTATED_TOPIC = EventEncoder.encode(COMMITTEE_ROTATED);

  private final EvmClient client;
  private final String address;

  private VigilCoreContract(EvmClient client, String address) {
    this.client = Objects.requireNonNull(client, "client");
    this.address = Objects.requireNonNull(address, "address");
  }

  /** The VigilCore at {@code address}; calls and transactions go through {@code client}. */
  public static VigilCoreContract at(EvmClient client, String address) {
    return new VigilCoreContract(client, address);
  }

  /**
   * Deploys VigilCore with {@code committee} installed (at its index), the governance emitter that
   * may rotate it, the expiry window of a replaced committee, and this chain's Vigil chain id.
   */
  public static VigilCoreContract deploy(
      EvmClient client,
      ContractArtifact artifact,
      Committee committee,
      int governanceChain,
      Bytes32 governanceEmitter,
      Duration expiryWindow,
      int vigilChainId) {
    String at =
        client.deploy(
            artifact,
            EvmClient.vigilCoreArgs(
                committee.index(),
                committee.members().stream().map(Address::toHex).toList(),
                governanceChain,
                governanceEmitter.toBytes(),
                expiryWindow.toSeconds(),
                vigilChainId));
    return new VigilCoreContract(client, at);
  }

  public String address() {
    return address;
  }

  public EvmClient client() {
    return client;
  }

  /** The same contract, used from another account. */
  public VigilCoreContract withClient(EvmClient other) {
    return new VigilCoreContract(other, address);
  }

  // ------------------------------------------------------------------ verification

  /**
   * One signature as parseAndVerifyVM returns it: v is 27 or 28 (the attestation's 0/1 plus 27).
   */
  public record VmSignature(int guardianIndex, Bytes32 r, Bytes32 s, int v) {}

  /** The fields parseAndVerifyVM parsed from a well-formed attestation. */
  public record ParsedVm(
      long committeeIndex, List<VmSignature> signatures, Body body, Digest hash) {
    public ParsedVm {
      signatures = List.copyOf(signatures);
    }
  }

  /**
   * parseAndVerifyVM's answer: valid and the reason ("" when valid), the version byte, and the
   * parsed fields, which are empty when the attestation is truncated or of another version (the
   * contract then returns an empty VM).
   */
  public record VmResult(boolean valid, String reason, int version, Optional<ParsedVm> parsed) {}

  /** verifyAttestation's answer; the digest is zero when the layout is broken. */
  public record AttestationCheck(boolean valid, String reason, Digest digest) {}

  /**
   * {@code parseAndVerifyVM(bytes)} by eth_call; never reverts on bad input, so it never throws for
   * one.
   */
  public VmResult parseAndVerifyVM(byte[] attestation) {
    Function f =
        new Function(
            "parseAndVerifyVM",
            List.of(new DynamicBytes(attestation)),
            List.of(
                new TypeReference<VigilCoreAbi.VmStruct>() {},
                new TypeReference<Bool>() {},
                new TypeReference<Utf8String>() {}));
    List<Type> out = client.call(address, f);
    VigilCoreAbi.VmStruct vm = (VigilCoreAbi.VmStruct) out.get(0);
    boolean valid = ((Bool) out.get(1)).getValue();
    String reason = ((Utf8String) out.get(2)).getValue();
    int version = vm.version.getValue().intValueExact();
    byte[] hash = vm.hash.getValue();
    if (vm.signatures.getValue().isEmpty() && isZero(hash)) {
      return new VmResult(valid, reason, version, Optional.empty());
    }
    List<VmSignature> sigs = new ArrayList<>();
    for (VigilCoreAbi.SignatureStruct s : vm.signatures.getValue()) {
      sigs.add(
          new VmSignature(
              s.guardianIndex.getValue().intValueExact(),
              Bytes32.wrap(s.r.getValue()),
              Bytes32.wrap(s.s.getValue()),
              s.v.getValue().intValueExact()));
    }
    Body body =
        new Body(
            vm.timestamp.getValue().longValueExact(),
            vm.nonce.getValue().longValueExact(),
            vm.emitterChainId.getValue().intValueExact(),
            Bytes32.wrap(vm.emitterAddress.getValue()),
            vm.sequence.getValue().longValue(), // u64 held in a long, as Body holds it
            vm.consistencyLevel.getValue().intValueExact(),
            vm.payload.getValue());
    return new VmResult(
        valid,
        reason,
        version,
        Optional.of(
            new ParsedVm(
                vm.guardianSetIndex.getValue().longValueExact(), sigs, body, Digest.wrap(hash))));
  }

  /**
   * {@code verifyAttestation(bytes, address[])} by eth_call: the cheaper path, with the committee's
   * members passed in (they must hash to the stored committee's key hash).
   */
  public AttestationCheck verifyAttestation(byte[] attestation, List<Address> members) {
    Function f =
        new Function(
            "verifyAttestation",
            List.of(new DynamicBytes(attestation), addresses(members)),
            List.of(
                new TypeReference<Bool>() {},
                new TypeReference<Utf8String>() {},
                new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
    List<Type> out = client.call(address, f);
    return new AttestationCheck(
        ((Bool) out.get(0)).getValue(),
        ((Utf8String) out.get(1)).getValue(),
        Digest.wrap(((org.web3j.abi.datatypes.generated.Bytes32) out.get(2)).getValue()));
  }

  // ------------------------------------------------------------------ governance

  /** A committee rotation as the CommitteeRotated event reports it. */
  public record Rotation(
      long oldIndex, long newIndex, List<Address> members, String txHash, long gasUsed) {
    public Rotation {
      members = List.copyOf(members);
    }
  }

  /**
   * {@code submitNewGuardianSet(bytes)}: rotates the committee with a governance attestation.
   * Refused (estimate reverts, nothing sent) with the contract's reason, e.g. "not signed by
   * current guardian set" for a replay after the rotation.
   */
  public Rotation submitNewGuardianSet(byte[] attestation) {
    TransactionReceipt r =
        client.execute(
            address,
            new Function(
                "submitNewGuardianSet", List.of(new DynamicBytes(attestation)), List.of()));
    for (Log log : r.getLogs()) {
      if (address.equalsIgnoreCase(log.getAddress())
          && !log.getTopics().isEmpty()
          && COMMITTEE_ROTATED_TOPIC.equalsIgnoreCase(log.getTopics().get(0))) {
        var values = Contract.staticExtractEventParameters(COMMITTEE_ROTATED, log);
        List<Address> members = toAddresses(values.getNonIndexedValues().get(0));
        return new Rotation(
            ((Uint32) values.getIndexedValues().get(0)).getValue().longValueExact(),
            ((Uint32) values.getIndexedValues().get(1)).getValue().longValueExact(),
            members,
            r.getTransactionHash(),
            r.getGasUsed().longValueExact());
      }
    }
    throw new IllegalStateException(
        "submitNewGuardianSet tx " + r.getTransactionHash() + " emitted no CommitteeRotated");
  }

  // ------------------------------------------------------------------ getters

  public long currentCommitteeIndex() {
    return uint(view("currentCommitteeIndex", List.of(), new TypeReference<Uint32>() {}))
        .longValueExact();
  }

  /** The members of committee {@code index} in signer-index order; empty if it is not installed. */
  public List<Address> committeeMembers(long index) {
    Function f =
        new Function(
            "committeeMembers",
            List.of(new Uint32(index)),
            List.of(new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}));
    return toAddresses(client.call(address, f).get(0));
  }

  /** When a replaced committee stops being accepted (unix seconds); 0 for the current one. */
  public long committeeExpiry(long index) {
    return uint(view("committeeExpiry", List.of(new Uint32(index)), new TypeReference<Uint32>() {}))
        .longValueExact();
  }

  /** The chain of the emitter whose attestations may rotate the committee. */
  public int governanceChainId() {
    return uint(view("governanceChainId", List.of(), new TypeReference<Uint16>() {}))
        .intValueExact();
  }

  /** The emitter address whose attestations may rotate the committee. */
  public dev.vigil.signing.Bytes32 governanceContract() {
    Function f =
        new Function(
            "governanceContract",
            List.of(),
            List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
    return dev.vigil.signing.Bytes32.wrap(
        ((org.web3j.abi.datatypes.generated.Bytes32) client.call(address, f).get(0)).getValue());
  }

  public boolean governanceActionIsConsumed(Digest digest) {
    Function f =
        new Function(
            "governanceActionIsConsumed",
            List.of(new org.web3j.abi.datatypes.generated.Bytes32(digest.toBytes())),
            List.of(new TypeReference<Bool>() {}));
    return ((Bool) client.call(address, f).get(0)).getValue();
  }

  /** The sequence the next message of {@code emitter} will get. */
  public long nextSequence(Address emitter) {
    return uint(view(
            "nextSequence",
            List.of(new org.web3j.abi.datatypes.Address(emitter.toHex())),
            new TypeReference<Uint64>() {}))
        .longValue();
  }

  /** This chain's Vigil chain id, as the contract was deployed with. */
  public int chainId() {
    return uint(view(
            "chainId", List.of(), new TypeReference<org.web3j.abi.datatypes.generated.Uint16>() {}))
        .intValueExact();
  }

  public int quorum(int members) {
    return uint(view("quorum", List.of(new Uint256(members)), new TypeReference<Uint256>() {}))
        .intValueExact();
  }

  // ------------------------------------------------------------------ source side

  /** Publishes a message from the client's account; see {@link EvmClient#publishMessage}. */
  public EvmClient.Published publishMessage(long nonce, byte[] payload, int consistencyLevel) {
    return client.publishMessage(address, nonce, payload, consistencyLevel);
  }

  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("rawtypes")
  private BigInteger uint(Type value) {
    return (BigInteger) value.getValue();
  }

  @SuppressWarnings("rawtypes")
  private <T extends Type> Type view(String name, List<Type> args, TypeReference<T> out) {
    return client.call(address, new Function(name, args, List.of(out))).get(0);
  }

  public static DynamicArray<org.web3j.abi.datatypes.Address> addresses(List<Address> members) {
    return new DynamicArray<>(
        org.web3j.abi.datatypes.Address.class,
        members.stream().map(a -> new org.web3j.abi.datatypes.Address(a.toHex())).toList());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static List<Address> toAddresses(Type array) {
    List<org.web3j.abi.datatypes.Address> list =
        ((DynamicArray<org.web3j.abi.datatypes.Address>) array).getValue();
    return list.stream().map(a -> Address.fromHex(a.getValue())).toList();
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  @Override
  public String toString() {
    return "VigilCore@" + address;
  }
}
