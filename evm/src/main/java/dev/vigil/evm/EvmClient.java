package dev.vigil.evm;

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
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Deploys contracts and sends transactions with web3j's ABI encoder and a local signing key; used
 * by the devnet, the relayer and the tests. One client per sending account (it tracks the nonce).
 */
public final class EvmClient {
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(8_000_000);
  private static final BigInteger TIP = BigInteger.valueOf(1_000_000_000); // 1 gwei

  private final Web3j web3j;
  private final Credentials account;
  private final long evmChainId;
  private final String from;
  private final FastRawTransactionManager tx;
  private final TransactionReceiptProcessor receipts;

  public EvmClient(Web3j web3j, Credentials account, long evmChainId) {
    this.web3j = web3j;
    this.account = account;
    this.evmChainId = evmChainId;
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
    if (r.getContractAddress() == null)
      throw new IllegalStateException(
          "deploy " + artifact.name() + ": no contract address in receipt");
    return r.getContractAddress();
  }

  /**
   * Calls a state-changing function and waits for its receipt. The gas is estimated first, so a
   * call that would revert is refused without sending: {@link ContractRevertException} with the
   * reason and no transaction. A transaction that reverts anyway once mined (state changed in
   * between) raises it too, with the transaction.
   */
  public TransactionReceipt execute(String contract, Function function) {
    return send(
        contract,
        FunctionEncoder.encode(function),
        gasLimitFor(contract, function),
        false,
        function.getName());
  }

  /**
   * As {@link #execute(String, Function)}, sending {@code value} wei with the call (a payable
   * function).
   */
  public TransactionReceipt executePayable(String contract, Function function, BigInteger value) {
    String data = FunctionEncoder.encode(function);
    BigInteger estimate = estimateGas(contract, data, value, function.getName());
    BigInteger limit =
        estimate
            .multiply(BigInteger.valueOf(6))
            .divide(BigInteger.valueOf(5))
            .add(BigInteger.valueOf(10_000));
    return send(contract, data, limit, value, false, function.getName());
  }

  /**
   * The gas limit to send {@code function} with: the estimate plus headroom. A call that would
   * revert raises {@link ContractRevertException} (no transaction), as {@link #execute(String,
   * Function)}.
   */
  public BigInteger gasLimitFor(String contract, Function function) {
    BigInteger estimate =
        estimateGas(contract, FunctionEncoder.encode(function), function.getName());
    // anvil's estimate is the smallest limit that succeeds; headroom for state that moves under us
    return estimate
        .multiply(BigInteger.valueOf(6))
        .divide(BigInteger.valueOf(5))
        .add(BigInteger.valueOf(10_000));
  }

  /**
   * A legacy transaction signed for this chain, not sent: its hash is known before any node
   * answers.
   */
  public record SignedTransaction(BigInteger nonce, String hash, String raw) {}

  /**
   * Signs a call of {@code data} on {@code to} with an explicit nonce, for a caller that keeps its
   * own nonce sequence and several transactions in flight (the relayer). Nothing is sent.
   */
  public SignedTransaction sign(
      BigInteger nonce, BigInteger gasPrice, BigInteger gasLimit, String to, String data) {
    RawTransaction raw =
        RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, BigInteger.ZERO, data);
    byte[] signed = TransactionEncoder.signMessage(raw, evmChainId, account);
    return new SignedTransaction(
        nonce, Numeric.toHexString(Hash.sha3(signed)), Numeric.toHexString(signed));
  }

  /**
   * The account's next nonce counting transactions in the node's pool ({@code
   * eth_getTransactionCount(pending)}).
   */
  public BigInteger pendingNonce() {
    try {
      var r = web3j.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING).send();
      if (r.hasError())
        throw new IllegalStateException(
            "eth_getTransactionCount answered error: " + r.getError().getMessage());
      return r.getTransactionCount();
    } catch (IOException e) {
      throw new IllegalStateException("eth_getTransactionCount failed: " + e.getMessage(), e);
    }
  }

  /** The gas price {@link #execute} pays: see {@link #gasPrice()}. */
  public BigInteger currentGasPrice() {
    try {
      return gasPrice();
    } catch (IOException e) {
      throw new IllegalStateException("reading the gas price failed: " + e.getMessage(), e);
    }
  }

  /**
   * Why a mined transaction of this account (call {@code data} on {@code to}) reverted: the call
   * replayed on the state before its block (earlier transactions of that block are not replayed).
   */
  public String revertReasonOf(
      TransactionReceipt receipt, String to, String data, BigInteger gasLimit) {
    return minedRevertReason(receipt, to, data, gasLimit);
  }

  /**
   * Sends a state-changing function with a fixed gas limit and no estimate: a revert is mined (and
   * paid for) and raises {@link ContractRevertException} carrying the transaction and the reason.
   */
  public TransactionReceipt execute(String contract, Function function, BigInteger gasLimit) {
    return send(contract, FunctionEncoder.encode(function), gasLimit, false, function.getName());
  }

  /**
   * eth_call of a view (or any) function at the latest block, decoded with the function's outputs.
   */
  @SuppressWarnings("rawtypes")
  public List<Type> call(String contract, Function function) {
    String data = FunctionEncoder.encode(function);
    EthCall r;
    try {
      r =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(from, contract, data),
                  DefaultBlockParameterName.LATEST)
              .send();
    } catch (IOException e) {
      throw new IllegalStateException(
          "eth_call " + function.getName() + " on " + contract + " failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      Optional<String> reason = ContractRevertException.revertReason(r.getError());
      if (reason.isPresent())
        throw new ContractRevertException(function.getName(), reason.get(), null);
      throw new IllegalStateException(
          "eth_call "
              + function.getName()
              + " on "
              + contract
              + " answered error "
              + r.getError().getCode()
              + ": "
              + r.getError().getMessage());
    }
    String value = r.getValue();
    if (value == null || value.equals("0x")) {
      throw new IllegalStateException(
          "eth_call "
              + function.getName()
              + " on "
              + contract
              + " returned no data (no contract at that address?)");
    }
    try {
      return FunctionReturnDecoder.decode(value, function.getOutputParameters());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "eth_call "
              + function.getName()
              + " on "
              + contract
              + " returned data that does not decode as its outputs: "
              + e.getMessage(),
          e);
    }
  }

  private BigInteger estimateGas(String to, String data, String what) {
    return estimateGas(to, data, BigInteger.ZERO, what);
  }

  private BigInteger estimateGas(String to, String data, BigInteger value, String what) {
    EthEstimateGas r;
    try {
      r =
          web3j
              .ethEstimateGas(
                  value.signum() == 0
                      ? Transaction.createEthCallTransaction(from, to, data)
                      : Transaction.createFunctionCallTransaction(
                          from, null, null, null, to, value, data))
              .send();
    } catch (IOException e) {
      throw new IllegalStateException(what + ": eth_estimateGas failed: " + e.getMessage(), e);
    }
    if (r.hasError()) {
      Optional<String> reason = ContractRevertException.revertReason(r.getError());
      if (reason.isPresent()) throw new ContractRevertException(what, reason.get(), null);
      throw new IllegalStateException(
          what
              + ": eth_estimateGas answered error "
              + r.getError().getCode()
              + ": "
              + r.getError().getMessage());
    }
    return r.getAmountUsed();
  }

  private TransactionReceipt send(
      String to, String data, BigInteger gasLimit, boolean create, String what) {
    return send(to, data, gasLimit, BigInteger.ZERO, create, what);
  }

  private TransactionReceipt send(
      String to, String data, BigInteger gasLimit, BigInteger value, boolean create, String what) {
    try {
      BigInteger gasPrice = gasPrice();
      EthSendTransaction sent = tx.sendTransaction(gasPrice, gasLimit, to, data, value, create);
      if (sent.hasError()) {
        tx.resetNonce(); // the manager counted a nonce for a transaction the node did not take
        throw new IllegalStateException(what + " rejected: " + sent.getError().getMessage());
      }
      TransactionReceipt r = receipts.waitForTransactionReceipt(sent.getTransactionHash());
      if (!r.isStatusOK()) {
        throw new ContractRevertException(
            what, minedRevertReason(r, to, data, gasLimit), r.getTransactionHash());
      }
      return r;
    } catch (IOException | TransactionException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Twice the latest base fee plus a fixed tip: room for the base fee to rise for a few blocks. Not
   * eth_gasPrice times two: anvil's eth_gasPrice follows the tips paid recently, so a multiple of
   * it compounds with every transaction (measured: ×10 000 after some 30 transactions, until the
   * dev accounts cannot pay). A chain without a base fee gets eth_gasPrice as it is.
   */
  private BigInteger gasPrice() throws IOException {
    EthBlock.Block latest =
        web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
    if (latest != null && latest.getBaseFeePerGasRaw() != null) {
      return latest.getBaseFeePerGas().multiply(BigInteger.TWO).add(TIP);
    }
    return web3j.ethGasPrice().send().getGasPrice();
  }

  /**
   * A receipt says only that a transaction failed (anvil puts no reason in it), so the call is
   * replayed on the state before its block, which is where it ran (one transaction per block on an
   * automining chain; otherwise earlier transactions of the block are not replayed).
   */
  private String minedRevertReason(
      TransactionReceipt r, String to, String data, BigInteger gasLimit) {
    if (r.getRevertReason() != null && !r.getRevertReason().isEmpty()) return r.getRevertReason();
    try {
      BigInteger parent = r.getBlockNumber().subtract(BigInteger.ONE).max(BigInteger.ZERO);
      EthCall replay =
          web3j
              .ethCall(
                  Transaction.createFunctionCallTransaction(from, null, null, gasLimit, to, data),
                  DefaultBlockParameter.valueOf(parent))
              .send();
      if (replay.hasError()) {
        return ContractRevertException.revertReason(replay.getError())
            .orElse(replay.getError().getMessage());
      }
      if (r.getGasUsed() != null && r.getGasUsed().compareTo(gasLimit) >= 0) return "out of gas";
      return "(reason unknown: the replay at block " + parent + " succeeds)";
    } catch (IOException | RuntimeException e) {
      return "(reason unknown: replay failed: " + e.getMessage() + ")";
    }
  }

  // ------------------------------------------------------------------ VigilCore

  /** Constructor arguments of VigilCore. */
  public static List<Type> vigilCoreArgs(
      long committeeIndex,
      List<String> members,
      int governanceChain,
      byte[] governanceEmitter32,
      long expiryWindowSeconds,
      int vigilChainId) {
    return List.of(
        new Uint32(committeeIndex),
        new DynamicArray<>(
            org.web3j.abi.datatypes.Address.class,
            members.stream().map(org.web3j.abi.datatypes.Address::new).toList()),
        new Uint16(governanceChain),
        new Bytes32(governanceEmitter32),
        new Uint32(expiryWindowSeconds),
        new Uint16(vigilChainId));
  }

  /** A message as the core contract published it. */
  public record Published(long sequence, String txHash, long blockNumber, byte[] emitter32) {}

  /**
   * Publishes a message through VigilCore at {@code core}; returns its sequence and transaction.
   */
  public Published publishMessage(String core, long nonce, byte[] payload, int consistencyLevel) {
    Function f =
        new Function(
            "publishMessage",
            List.of(new Uint32(nonce), new DynamicBytes(payload), new Uint8(consistencyLevel)),
            List.of());
    TransactionReceipt r = execute(core, f);
    for (Log log : r.getLogs()) {
      if (log.getTopics().size() == 2
          && LogMessagePublished.TOPIC.equalsIgnoreCase(log.getTopics().get(0))
          && core.equalsIgnoreCase(log.getAddress())) {
        LogMessagePublished.Decoded d = LogMessagePublished.decode(log);
        return new Published(
            d.sequence(),
            r.getTransactionHash(),
            r.getBlockNumber().longValueExact(),
            d.sender32());
      }
    }
    throw new IllegalStateException(
        "publishMessage tx " + r.getTransactionHash() + " emitted no LogMessagePublished");
  }
}
