package dev.vigil.evm;

import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.Response;

/**
 * A contract call or transaction that reverted, with the contract's reason string (e.g. {@code
 * "message already executed"}). {@link #txHash()} is present when the revert was mined (the
 * transaction was sent and paid for) and empty when a call or gas estimate refused it first.
 *
 * <p>What the node and web3j give (anvil 1.7, web3j 4.14): eth_call and eth_estimateGas answer a
 * revert with JSON-RPC error 3, message "execution reverted: &lt;reason&gt;" and the ABI-encoded
 * {@code Error(string)} as data (JSON-quoted in web3j's {@code Error.getData()}); {@code
 * EthCall.getRevertReason()} returns the whole message, so the data is decoded here. A mined failed
 * transaction has receipt status 0x0 and no revert reason in the receipt; web3j's {@code
 * RevertReasonExtractor} would replay it on the state after its block, so {@link EvmClient} replays
 * it on the state before instead.
 */
public final class ContractRevertException extends IllegalStateException {
  private static final String ERROR_SELECTOR = "08c379a0"; // Error(string)
  private static final String PANIC_SELECTOR = "4e487b71"; // Panic(uint256)

  private final String function;
  private final String reason;
  private final String txHash;

  ContractRevertException(String function, String reason, String txHash) {
    super(
        function
            + " reverted: "
            + reason
            + (txHash == null ? " (refused before sending)" : " in mined tx " + txHash));
    this.function = function;
    this.reason = reason;
    this.txHash = txHash;
  }

  /** The function that reverted, e.g. {@code receiveMessage}. */
  public String function() {
    return function;
  }

  /**
   * The revert reason string as the contract gave it; see {@link #decodeRevertData} for other
   * kinds.
   */
  public String reason() {
    return reason;
  }

  /** The mined transaction that reverted, or empty if nothing was sent. */
  public Optional<String> txHash() {
    return Optional.ofNullable(txHash);
  }

  public boolean mined() {
    return txHash != null;
  }

  /**
   * The revert in a JSON-RPC error answer (eth_call, eth_estimateGas), or empty if the error is not
   * a revert. Nodes answer a revert with code 3 and the revert data; web3j's own {@code
   * EthCall.getRevertReason()} gives only the node's message ("execution reverted: …"), so the data
   * is decoded here.
   */
  static Optional<String> revertReason(Response.Error error) {
    if (error == null) return Optional.empty();
    String data = error.getData();
    if (data != null) {
      data = data.strip();
      if (data.startsWith("\"") && data.endsWith("\"") && data.length() >= 2)
        data = data.substring(1, data.length() - 1);
      if (data.startsWith("0x")) return Optional.of(decodeRevertData(data));
    }
    String message = error.getMessage();
    if (message != null && message.startsWith("execution reverted")) {
      String rest = message.substring("execution reverted".length()).replaceFirst("^:\\s*", "");
      return Optional.of(rest.isEmpty() ? "(no reason)" : rest);
    }
    return Optional.empty();
  }

  /**
   * Error(string) → its string; Panic(uint256) → "panic 0x…"; empty → "(no reason)"; else the raw
   * data.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static String decodeRevertData(String hex) {
    String h = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (h.isEmpty()) return "(no reason)";
    try {
      if (h.startsWith(ERROR_SELECTOR)) {
        List<Type> v =
            FunctionReturnDecoder.decode(
                h.substring(8), (List) List.of(new TypeReference<Utf8String>() {}));
        if (v.size() == 1) return ((Utf8String) v.get(0)).getValue();
      } else if (h.startsWith(PANIC_SELECTOR)) {
        List<Type> v =
            FunctionReturnDecoder.decode(
                h.substring(8), (List) List.of(new TypeReference<Uint256>() {}));
        if (v.size() == 1) return "panic 0x" + ((Uint256) v.get(0)).getValue().toString(16);
      }
    } catch (RuntimeException malformed) {
      // fall through to the raw data: a reason that does not decode is still worth showing
    }
    return "revert data 0x" + h;
  }
}
