package dev.vigil.node.evm;

import dev.vigil.node.observer.LogMessagePublished;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Deploys contracts and sends transactions with web3j's ABI encoder and a local signing key; used by
 * the devnet, the relayer and the tests. One client per sending account (it tracks the nonce).
 */
public final class EvmClient {
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(8_000_000);

  private final Web3j web3j;
  private final String from;
  private final FastRawTransactionManager tx;
  private final TransactionReceiptProcessor receipts;

  public EvmClient(Web3j web3j, Credentials account, long evmChainId) {
    this.web3j = web3j;
    this.from = account.getAddress();
    this.receipts = new PollingTransactionReceiptProcessor(web3j, 50, 1200);
    this.tx = new FastRawTransactionManager(web3j, account, evmChainId, receipts);
  }

  public Web3j web3j() {
    return web3j;
  }

  /** The sending account (0x-prefixed, lower case). */
  public String address() {
    return from;
  }

  /** Deploys a contract and returns its address. */
  public String deploy(ContractArtifact artifact, List<Type> constructorArgs) {
    String data = artifact.bytecode() + FunctionEncoder.encodeConstructor(constructorArgs);
    TransactionReceipt r = send(null, data, DEPLOY_GAS_LIMIT, true, "deploy " + artifact.name());
    if (r.getContractAddress() == null) throw new IllegalStateException("deploy " + artifact.name() + ": no contract address in receipt");
    return r.getContractAddress();
  }

  /**
   * Calls a state-changing function and waits for its receipt. The gas is estimated first, so a
   * call that would revert is refused without sending: {@link ContractRevertException} with the
   * reason and no transaction. A transaction that reverts anyway once mined (state changed in
   * between) raises it too, with the transaction.
   */
  public TransactionReceipt execute(String contract, Function function) {
    String data = FunctionEncoder.encode(function);
    BigInteger estimate = estimateGas(contract, data, function.getName());
    // anvil's estimate is the smallest limit that succeeds; headroom for state that moves under us
    BigInteger limit = estimate.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5)).add(BigInteger.valueOf(10_000));
    return send(contract, data, limit, false, function.getName());
  }

  /**
   * Sends a state-changing function with a fixed gas limit and no estimate: a revert is mined (and
   * paid for) and raises {@link ContractRevertException} carrying the transaction and the reason.
   */
  public TransactionReceipt execute(String contract, Function function, BigInteger gasLimit) {
    return send(contract, FunctionEncoder.encode(function), gasLimit, false, function.getName());
  }

  /** eth_call of a view (or any) function at the latest block, decoded with the function's outputs. */
  @SuppressWarnings("rawtypes")
  public List<Type> call(String contract, Function function) {
    String data = FunctionEncoder.encode(function);
    EthCall r;
    try {
      r = web3j.ethCall(Transaction.createEthCallTransaction(from, contract, data), DefaultBlockParameterName.LATEST).send();
    } catch (IOException e) {
      throw new IllegalStateException("eth_call " + function.getName() + " on " + contract + " failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      Optional<String> reason = ContractRevertException.revertReason(r.getError());
      if (reason.isPresent()) throw new ContractRevertException(function.getName(), reason.get(), null);
      throw new IllegalStateException("eth_call " + function.getName() + " on " + contract + " answered error "
          + r.getError().getCode() + ": " + r.getError().getMessage());
    }
    String value = r.getValue();
    if (value == null || value.equals("0x")) {
      throw new IllegalStateException("eth_call " + function.getName() + " on " + contract
          + " returned no data (no contract at that address?)");
    }
    try {
      return FunctionReturnDecoder.decode(value, function.getOutputParameters());
    } catch (RuntimeException e) {
      throw new IllegalStateException("eth_call " + function.getName() + " on " + contract
          + " returned data that does not decode as its outputs: " + e.getMessage(), e);
    }
  }

  private BigInteger estimateGas(String to, String data, String what) {
    EthEstimateGas r;
    try {
      r = web3j.ethEstimateGas(Transaction.createEthCallTransaction(from, to, data)).send();
    } catch (IOException e) {
      throw new IllegalStateException(what + ": eth_estimateGas failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      Optional<String> reason = ContractRevertException.revertReason(r.getError());
      if (reason.isPresent()) throw new ContractRevertException(what, reason.get(), null);
      throw new IllegalStateException(what + ": eth_estimateGas answered error " + r.getError().getCode() + ": "
          + r.getError().getMessage());
    }
    return r.getAmountUsed();
  }

  private TransactionReceipt send(String to, String data, BigInteger gasLimit, boolean create, String what) {
    try {
      BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
      EthSendTransaction sent = tx.sendTransaction(gasPrice, gasLimit, to, data, BigInteger.ZERO, create);
      if (sent.hasError()) {
        tx.resetNonce(); // the manager counted a nonce for a transaction the node did not take
        throw new IllegalStateException(what + " rejected: " + sent.getError().getMessage());
      }
      TransactionReceipt r = receipts.waitForTransactionReceipt(sent.getTransactionHash());
      if (!r.isStatusOK()) {
        throw new ContractRevertException(what, minedRevertReason(r, to, data, gasLimit), r.getTransactionHash());
      }
      return r;
    } catch (IOException | TransactionException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * A receipt says only that a transaction failed (anvil puts no reason in it), so the call is
   * replayed on the state before its block, which is where it ran (one transaction per block
   * on an automining chain; otherwise earlier transactions of the block are not replayed).
   */
  private String minedRevertReason(TransactionReceipt r, String to, String data, BigInteger gasLimit) {
    if (r.getRevertReason() != null && !r.getRevertReason().isEmpty()) return r.getRevertReason();
    try {
      BigInteger parent = r.getBlockNumber().subtract(BigInteger.ONE).max(BigInteger.ZERO);
      EthCall replay = web3j.ethCall(
          Transaction.createFunctionCallTransaction(from, null, null, gasLimit, to, data),
          DefaultBlockParameter.valueOf(parent)).send();
      if (replay.hasError()) {
        return ContractRevertException.revertReason(replay.getError()).orElse(replay.getError().getMessage());
      }
      if (r.getGasUsed() != null && r.getGasUsed().compareTo(gasLimit) >= 0) return "out of gas";
      return "(reason unknown: the replay at block " + parent + " succeeds)";
    } catch (IOException | RuntimeException e) {
      return "(reason unknown: replay failed: " + e.getMessage() + ")";
    }
  }

  // ------------------------------------------------------------------ VigilCore

  /** Constructor arguments of VigilCore. */
  public static List<Type> vigilCoreArgs(long committeeIndex, List<String> members, int governanceChain,
      byte[] governanceEmitter32, long expiryWindowSeconds, int vigilChainId) {
    return List.of(
        new Uint32(committeeIndex),
        new DynamicArray<>(org.web3j.abi.datatypes.Address.class,
            members.stream().map(org.web3j.abi.datatypes.Address::new).toList()),
        new Uint16(governanceChain),
        new Bytes32(governanceEmitter32),
        new Uint32(expiryWindowSeconds),
        new Uint16(vigilChainId));
  }

  /** A message as the core contract published it. */
  public record Published(long sequence, String txHash, long blockNumber, byte[] emitter32) {}

  /** Publishes a message through VigilCore at {@code core}; returns its sequence and transaction. */
  public Published publishMessage(String core, long nonce, byte[] payload, int consistencyLevel) {
    Function f = new Function("publishMessage",
        List.of(new Uint32(nonce), new DynamicBytes(payload), new Uint8(consistencyLevel)), List.of());
    TransactionReceipt r = execute(core, f);
    for (Log log : r.getLogs()) {
      if (log.getTopics().size() == 2 && LogMessagePublished.TOPIC.equalsIgnoreCase(log.getTopics().get(0))
          && core.equalsIgnoreCase(log.getAddress())) {
        LogMessagePublished.Decoded d = LogMessagePublished.decode(log);
        return new Published(d.sequence(), r.getTransactionHash(), r.getBlockNumber().longValueExact(), d.sender32());
      }
    }
    throw new IllegalStateException("publishMessage tx " + r.getTransactionHash() + " emitted no LogMessagePublished");
  }
}
