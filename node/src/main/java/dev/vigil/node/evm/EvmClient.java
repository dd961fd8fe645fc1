package dev.vigil.node.evm;

import dev.vigil.node.observer.LogMessagePublished;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
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
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Deploys contracts and sends transactions with web3j's ABI encoder and a local signing key; used by
 * the devnet, the relayer and the tests. One client per sending account (it tracks the nonce).
 */
public final class EvmClient {
  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(8_000_000);

  private final Web3j web3j;
  private final TransactionManager tx;
  private final TransactionReceiptProcessor receipts;

  public EvmClient(Web3j web3j, Credentials account, long evmChainId) {
    this.web3j = web3j;
    this.receipts = new PollingTransactionReceiptProcessor(web3j, 50, 1200);
    this.tx = new FastRawTransactionManager(web3j, account, evmChainId, receipts);
  }

  public Web3j web3j() {
    return web3j;
  }

  /** Deploys a contract and returns its address. */
  public String deploy(ContractArtifact artifact, List<Type> constructorArgs) {
    String data = artifact.bytecode() + FunctionEncoder.encodeConstructor(constructorArgs);
    TransactionReceipt r = send(null, data, DEPLOY_GAS_LIMIT, true, "deploy " + artifact.name());
    if (r.getContractAddress() == null) throw new IllegalStateException("deploy " + artifact.name() + ": no contract address in receipt");
    return r.getContractAddress();
  }

  /** Calls a state-changing function and waits for its receipt; a revert raises with the reason. */
  public TransactionReceipt execute(String contract, Function function) {
    return send(contract, FunctionEncoder.encode(function), GAS_LIMIT, false, function.getName());
  }

  private TransactionReceipt send(String to, String data, BigInteger gasLimit, boolean create, String what) {
    try {
      BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
      EthSendTransaction sent = tx.sendTransaction(gasPrice, gasLimit, to, data, BigInteger.ZERO, create);
      if (sent.hasError()) throw new IllegalStateException(what + " rejected: " + sent.getError().getMessage());
      TransactionReceipt r = receipts.waitForTransactionReceipt(sent.getTransactionHash());
      if (!r.isStatusOK()) {
        throw new IllegalStateException(what + " reverted in tx " + r.getTransactionHash()
            + (r.getRevertReason() != null ? ": " + r.getRevertReason() : ""));
      }
      return r;
    } catch (IOException | TransactionException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
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
