package dev.vigil.evm;

import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.utils.Numeric;

/**
 * Typed access to a deployed VigilStaking (contracts/src/VigilStaking.sol): delegations behind
 * guardians, and slashing a guardian with an {@link EquivocationSubmission}. A revert raises {@link
 * ContractRevertException}; {@link #error} decodes the contract's custom errors (e.g. {@code
 * AlreadySlashed(0x..)}) into a message.
 */
public final class VigilStakingContract {
  static final Event SLASHED =
      new Event(
          "Slashed",
          List.of(
              new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
              new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
              new TypeReference<Uint16>() {},
              new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {},
              new TypeReference<Uint64>() {},
              new TypeReference<Uint256>() {},
              new TypeReference<Uint256>() {}));
  static final String SLASHED_TOPIC = EventEncoder.encode(SLASHED);

  private final EvmClient client;
  private final String address;

  private VigilStakingContract(EvmClient client, String address) {
    this.client = Objects.requireNonNull(client, "client");
    this.address = Objects.requireNonNull(address, "address");
  }

  public static VigilStakingContract at(EvmClient client, String address) {
    return new VigilStakingContract(client, address);
  }

  /**
   * Deploys VigilStaking over the VigilCore at {@code core}, staking ETH ({@code token} empty) or
   * an ERC-20, with the unbonding delay (seconds), the share of stake slashed and the reporter's
   * share of that (basis points).
   */
  public static VigilStakingContract deploy(
      EvmClient client,
      ContractArtifact artifact,
      String core,
      Optional<String> token,
      long unbondingDelaySeconds,
      int slashBps,
      int reporterBps) {
    String at =
        client.deploy(
            artifact,
            List.of(
                new org.web3j.abi.datatypes.Address(core),
                new org.web3j.abi.datatypes.Address(
                    token.orElse("0x0000000000000000000000000000000000000000")),
                new Uint64(unbondingDelaySeconds),
                new Uint16(slashBps),
                new Uint16(reporterBps)));
    return new VigilStakingContract(client, at);
  }

  public String address() {
    return address;
  }

  /** The same contract, used from another account. */
  public VigilStakingContract withClient(EvmClient other) {
    return new VigilStakingContract(other, address);
  }

  /** Bonds {@code weiAmount} of ETH behind {@code guardian} from the client's account. */
  public TransactionReceipt delegateEth(Address guardian, BigInteger weiAmount) {
    return client.executePayable(
        address,
        new Function(
            "delegate",
            List.of(new org.web3j.abi.datatypes.Address(guardian.toHex()), new Uint256(weiAmount)),
            List.of(new TypeReference<Uint256>() {})),
        weiAmount);
  }

  /** What the {@code Slashed} event of a submission reports, with its transaction. */
  public record Slashed(
      String txHash,
      long gasUsed,
      Address guardian,
      Address reporter,
      int emitterChain,
      Bytes32 emitterAddress,
      long sequence,
      BigInteger amount,
      BigInteger reward) {}

  /**
   * Sends the submission from the client's account (gas estimated first: a refused one raises
   * {@link ContractRevertException} without sending; see {@link #error}).
   */
  public Slashed submitEquivocation(EquivocationSubmission s) {
    TransactionReceipt r = client.execute(address, s.function());
    for (Log log : r.getLogs()) {
      if (address.equalsIgnoreCase(log.getAddress())
          && !log.getTopics().isEmpty()
          && SLASHED_TOPIC.equalsIgnoreCase(log.getTopics().get(0))) {
        var v = Contract.staticExtractEventParameters(SLASHED, log);
        List<Type> idx = v.getIndexedValues(), rest = v.getNonIndexedValues();
        return new Slashed(
            r.getTransactionHash(),
            r.getGasUsed().longValueExact(),
            Address.fromHex(((org.web3j.abi.datatypes.Address) idx.get(0)).getValue()),
            Address.fromHex(((org.web3j.abi.datatypes.Address) idx.get(1)).getValue()),
            ((Uint16) rest.get(0)).getValue().intValueExact(),
            Bytes32.wrap(((org.web3j.abi.datatypes.generated.Bytes32) rest.get(1)).getValue()),
            ((Uint64) rest.get(2)).getValue().longValue(),
            ((Uint256) rest.get(3)).getValue(),
            ((Uint256) rest.get(4)).getValue());
      }
    }
    throw new IllegalStateException(
        "submitEquivocation tx " + r.getTransactionHash() + " emitted no Slashed event");
  }

  /** What came of sending one submission. */
  public sealed interface Outcome {
    /** One line for a person: what happened, with the figures that matter. */
    String describe();
  }

  /** Slashed: the event's figures. */
  public record Done(Slashed slashed) implements Outcome {
    @Override
    public String describe() {
      return "slashed "
          + slashed.amount()
          + " wei of "
          + slashed.guardian()
          + ", reward "
          + slashed.reward()
          + " wei to "
          + slashed.reporter()
          + "; tx "
          + slashed.txHash()
          + ", gas used "
          + slashed.gasUsed();
    }
  }

  /** The contract refused it with one of its errors (nothing was sent, or the revert was mined). */
  public record Refused(StakingError error, Optional<String> txHash) implements Outcome {
    @Override
    public String describe() {
      return error.alreadySlashed()
          ? "already slashed, skipped (" + error.name() + ")"
          : "refused by the contract: " + error.message() + " (" + error.name() + ")";
    }
  }

  /** Anything else: another revert, the chain unreachable, the account short of gas money. */
  public record Failed(String reason) implements Outcome {
    @Override
    public String describe() {
      return "failed: " + reason;
    }
  }

  /**
   * Sends a submission and tells what came of it without throwing: the code path {@code vigil
   * evidence submit} and the relayer share.
   */
  public Outcome trySubmit(EquivocationSubmission s) {
    try {
      return new Done(submitEquivocation(s));
    } catch (ContractRevertException e) {
      Optional<StakingError> err = error(e);
      return err.isPresent()
          ? new Refused(err.get(), e.txHash())
          : new Failed("reverted: " + e.reason());
    } catch (RuntimeException e) {
      return new Failed(String.valueOf(e.getMessage()));
    }
  }

  /** The guardian's stake (bonded and unbonding), in the staked token's smallest unit. */
  public BigInteger stakeOf(Address guardian) {
    return uint("stakeOf", List.of(new org.web3j.abi.datatypes.Address(guardian.toHex())));
  }

  public BigInteger sharesOf(Address guardian, String delegator) {
    return uint(
        "sharesOf",
        List.of(
            new org.web3j.abi.datatypes.Address(guardian.toHex()),
            new org.web3j.abi.datatypes.Address(delegator)));
  }

  public BigInteger slashedTotal() {
    return uint("slashedTotal", List.of());
  }

  /** Whether {@code guardian} was slashed for this message already. */
  public boolean isSlashed(Address guardian, int emitterChain, Bytes32 emitter, long sequence) {
    Function f =
        new Function(
            "isSlashed",
            List.of(
                new org.web3j.abi.datatypes.Address(guardian.toHex()),
                new Uint16(emitterChain),
                new org.web3j.abi.datatypes.generated.Bytes32(emitter.toBytes()),
                new Uint64(BigInteger.valueOf(sequence).and(U64))),
            List.of(new TypeReference<Bool>() {}));
    return ((Bool) client.call(address, f).get(0)).getValue();
  }

  private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  @SuppressWarnings("rawtypes")
  private BigInteger uint(String name, List<Type> args) {
    return (BigInteger)
        client
            .call(address, new Function(name, args, List.of(new TypeReference<Uint256>() {})))
            .get(0)
            .getValue();
  }

  // ------------------------------------------------------------------ custom errors

  /** A custom error of VigilStaking: its name with arguments, and what it means. */
  public record StakingError(String name, String message) {
    public boolean alreadySlashed() {
      return name.startsWith("AlreadySlashed(");
    }
  }

  private record ErrorSpec(String signature, List<TypeReference<?>> args) {}

  private static final List<ErrorSpec> ERRORS =
      List.of(
          new ErrorSpec("CommitteeNotInstalled(uint32)", List.of(new TypeReference<Uint256>() {})),
          new ErrorSpec(
              "SignerIndexOutOfRange(uint8,uint256)",
              List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {})),
          new ErrorSpec("BodyTooShort(uint256)", List.of(new TypeReference<Uint256>() {})),
          new ErrorSpec("DifferentMessages()", List.of()),
          new ErrorSpec("SameDigest()", List.of()),
          new ErrorSpec("BadSignature()", List.of()),
          new ErrorSpec("MalleableSignature()", List.of()),
          new ErrorSpec(
              "WrongSigner(address,address)",
              List.of(
                  new TypeReference<org.web3j.abi.datatypes.Address>() {},
                  new TypeReference<org.web3j.abi.datatypes.Address>() {})),
          new ErrorSpec(
              "AlreadySlashed(address)",
              List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {})),
          new ErrorSpec("NotReady(uint64)", List.of(new TypeReference<Uint256>() {})),
          new ErrorSpec("NotRequester()", List.of()),
          new ErrorSpec("ZeroAmount()", List.of()),
          new ErrorSpec("WrongValue()", List.of()),
          new ErrorSpec("BadBps()", List.of()),
          new ErrorSpec("ZeroGuardian()", List.of()),
          new ErrorSpec(
              "NotAContract(address)",
              List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {})),
          new ErrorSpec(
              "InsufficientShares(uint256,uint256)",
              List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {})),
          new ErrorSpec("UnknownRequest(uint256)", List.of(new TypeReference<Uint256>() {})),
          new ErrorSpec("AlreadyWithdrawn(uint256)", List.of(new TypeReference<Uint256>() {})),
          new ErrorSpec("TransferFailed()", List.of()),
          new ErrorSpec(
              "TokenShortfall(uint256,uint256)",
              List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {})),
          new ErrorSpec("Reentrancy()", List.of()));

  private static final Map<String, String> MEANING =
      Map.ofEntries(
          Map.entry("CommitteeNotInstalled", "that committee is not installed on VigilCore"),
          Map.entry("SignerIndexOutOfRange", "the signer index is outside that committee"),
          Map.entry("BodyTooShort", "a body is too short to hold a message id"),
          Map.entry("DifferentMessages", "the two bodies are of different messages"),
          Map.entry("SameDigest", "the two bodies have the same digest"),
          Map.entry("BadSignature", "a signature does not recover to any address"),
          Map.entry("MalleableSignature", "a signature is not low-s"),
          Map.entry("WrongSigner", "a signature is not the committee member's"),
          Map.entry("AlreadySlashed", "already slashed for this message"),
          Map.entry("NotReady", "the unbonding delay has not passed"),
          Map.entry("NotRequester", "not the account that requested the unbonding"),
          Map.entry("ZeroAmount", "the amount is zero"),
          Map.entry("WrongValue", "the ETH sent does not match the amount"),
          Map.entry("BadBps", "basis points out of range"),
          Map.entry("ZeroGuardian", "the guardian is the zero address"),
          Map.entry("NotAContract", "no contract at that address"),
          Map.entry("InsufficientShares", "more shares than the delegator holds"),
          Map.entry("UnknownRequest", "no such unbonding request"),
          Map.entry("AlreadyWithdrawn", "that request was withdrawn already"),
          Map.entry("TransferFailed", "the transfer failed"),
          Map.entry("TokenShortfall", "the token transferred less than the amount"),
          Map.entry("Reentrancy", "re-entered"));

  /**
   * The custom error a revert carries, decoded, or empty when it is no VigilStaking error (a reason
   * string, a panic, or data of another contract).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Optional<StakingError> error(ContractRevertException e) {
    String reason = e.reason();
    String prefix = "revert data 0x";
    if (reason == null || !reason.startsWith(prefix)) return Optional.empty();
    String hex = reason.substring(prefix.length());
    if (hex.length() < 8) return Optional.empty();
    for (ErrorSpec spec : ERRORS) {
      String selector = Numeric.cleanHexPrefix(Hash.sha3String(spec.signature())).substring(0, 8);
      if (!hex.substring(0, 8).equalsIgnoreCase(selector)) continue;
      String name = spec.signature().substring(0, spec.signature().indexOf('('));
      StringBuilder shown = new StringBuilder(name).append('(');
      try {
        List<Type> args = FunctionReturnDecoder.decode(hex.substring(8), (List) spec.args());
        for (int i = 0; i < args.size(); i++) {
          if (i > 0) shown.append(", ");
          shown.append(args.get(i).getValue());
        }
      } catch (RuntimeException malformed) {
        shown.append("?");
      }
      shown.append(')');
      return Optional.of(new StakingError(shown.toString(), MEANING.get(name)));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "VigilStaking@" + address;
  }
}
