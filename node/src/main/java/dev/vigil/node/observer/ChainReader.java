package dev.vigil.node.observer;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * Blocking reads of one source chain over JSON-RPC (web3j): heights, the core contract's
 * {@code LogMessagePublished} events and single transactions. Every failure, including an answer
 * that is not what the protocol promises, surfaces as {@link RpcException} naming the call.
 */
public final class ChainReader implements AutoCloseable {
  private final int chainId;
  private final String coreAddress;
  private final String endpoint;
  private final Web3j web3j;

  public ChainReader(int chainId, String rpcUrl, String coreAddress, Duration timeout) {
    this.chainId = chainId;
    this.coreAddress = coreAddress.toLowerCase();
    this.endpoint = rpcUrl;
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            .build();
    this.web3j = Web3j.build(new HttpService(rpcUrl, http));
  }

  public int chainId() {
    return chainId;
  }

  public String endpoint() {
    return endpoint;
  }

  public long head() {
    return send("eth_blockNumber", web3j.ethBlockNumber()).getBlockNumber().longValueExact();
  }

  /** The block the tag names ("safe", "finalized"), or empty when the chain does not know the tag. */
  public Optional<BlockRef> taggedBlock(DefaultBlockParameterName tag) {
    EthBlock r;
    try {
      r = send("eth_getBlockByNumber(" + tag.getValue() + ")", web3j.ethGetBlockByNumber(tag, false));
    } catch (RpcException e) {
      return Optional.empty();
    }
    EthBlock.Block b = r.getBlock();
    return b == null ? Optional.empty() : Optional.of(ref(b, "eth_getBlockByNumber(" + tag.getValue() + ")"));
  }

  public BlockRef block(long number) {
    String call = "eth_getBlockByNumber(" + number + ")";
    EthBlock.Block b =
        send(call, web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)).getBlock();
    if (b == null) throw new RpcException(call + " on chain " + chainId + ": no such block");
    BlockRef ref = ref(b, call);
    if (ref.number() != number) {
      throw new MalformedRpcDataException(call + " returned block " + ref.number());
    }
    return ref;
  }

  BlockRef blockByHash(String hash) {
    String call = "eth_getBlockByHash(" + hash + ")";
    EthBlock.Block b = send(call, web3j.ethGetBlockByHash(hash, false)).getBlock();
    if (b == null) throw new RpcException(call + " on chain " + chainId + ": no such block (reorged out?)");
    return ref(b, call);
  }

  /** The core contract's messages in blocks [from, to], in chain order. */
  public List<ObservedMessage> messages(long from, long to) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            coreAddress);
    filter.addSingleTopic(LogMessagePublished.TOPIC);
    String call = "eth_getLogs(" + from + ".." + to + ")";
    EthLog r = send(call, web3j.ethGetLogs(filter));
    List<Log> logs = new ArrayList<>();
    for (EthLog.LogResult<?> lr : r.getLogs()) {
      if (!(lr.get() instanceof Log log)) throw new MalformedRpcDataException(call + " returned a non-log entry");
      if (log.isRemoved()) continue;
      logs.add(log);
    }
    return toMessages(logs, call);
  }

  /** The core contract's messages in one transaction, or an empty list when it has none or is unknown. */
  public List<ObservedMessage> messagesInTransaction(String txHash) {
    String call = "eth_getTransactionReceipt(" + txHash + ")";
    Optional<TransactionReceipt> receipt = send(call, web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt();
    if (receipt.isEmpty()) return List.of();
    List<Log> logs = new ArrayList<>();
    for (Log log : receipt.get().getLogs()) {
      if (log.getAddress() != null
          && log.getAddress().equalsIgnoreCase(coreAddress)
          && !log.getTopics().isEmpty()
          && LogMessagePublished.TOPIC.equalsIgnoreCase(log.getTopics().get(0))) {
        logs.add(log);
      }
    }
    return toMessages(logs, call);
  }

  private List<ObservedMessage> toMessages(List<Log> logs, String call) {
    Map<String, BlockRef> blocks = new HashMap<>();
    List<ObservedMessage> out = new ArrayList<>(logs.size());
    for (Log log : logs) {
      if (log.getBlockHash() == null || log.getBlockNumberRaw() == null || log.getTransactionHash() == null) {
        throw new MalformedRpcDataException(call + " returned a log without block or transaction");
      }
      if (!coreAddress.equalsIgnoreCase(log.getAddress())) {
        throw new MalformedRpcDataException(call + " returned a log of another contract " + log.getAddress());
      }
      LogMessagePublished.Decoded d = LogMessagePublished.decode(log);
      BlockRef block = blocks.computeIfAbsent(log.getBlockHash(), this::blockByHash);
      long blockNumber = number(log.getBlockNumber(), call);
      if (block.number() != blockNumber) {
        throw new MalformedRpcDataException(call + ": log says block " + blockNumber + " but its hash is block " + block.number());
      }
      out.add(
          new ObservedMessage(
              chainId, d.sender32(), d.sequence(), d.nonce(), d.consistencyLevel(), d.payload(),
              block.timestamp(), blockNumber, log.getBlockHash(), log.getTransactionHash(),
              number(log.getLogIndex(), call)));
    }
    return out;
  }

  private BlockRef ref(EthBlock.Block b, String call) {
    if (b.getNumberRaw() == null || b.getHash() == null || b.getTimestampRaw() == null) {
      throw new MalformedRpcDataException(call + " on chain " + chainId + " returned a block without number, hash or timestamp");
    }
    return new BlockRef(number(b.getNumber(), call), b.getHash(), number(b.getTimestamp(), call), b.getParentHash());
  }

  private static long number(BigInteger v, String call) {
    try {
      return v.longValueExact();
    } catch (ArithmeticException | NullPointerException e) {
      throw new MalformedRpcDataException(call + " returned an out-of-range number " + v);
    }
  }

  private <T extends Response<?>> T send(String call, Request<?, T> request) {
    T response;
    try {
      response = request.send();
    } catch (IOException | RuntimeException e) {
      throw new RpcException(call + " on chain " + chainId + " (" + endpoint + ") failed: " + e, e);
    }
    if (response == null) throw new RpcException(call + " on chain " + chainId + ": empty answer");
    if (response.hasError()) {
      throw new RpcException(call + " on chain " + chainId + " answered error " + response.getError().getCode()
          + ": " + response.getError().getMessage());
    }
    return response;
  }

  /** A block's identity and time. */
  public record BlockRef(long number, String hash, long timestamp, String parentHash) {}


  @Override
  public void close() {
    web3j.shutdown();
  }
}
