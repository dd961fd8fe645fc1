package dev.vigil.node.observer;

import dev.vigil.evm.LogMessagePublished;
import dev.vigil.evm.MalformedRpcDataException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * Blocking reads of one source chain over JSON-RPC (web3j): heights, the core contract's {@code
 * LogMessagePublished} events and single transactions. Every failure, including an answer that is
 * not what the protocol promises, surfaces as {@link RpcException} or {@link
 * MalformedRpcDataException} naming the call.
 *
 * <p>With several endpoints (the chain's {@code rpc-urls}), the first is preferred: a call that
 * fails or answers garbage makes the reader use the next endpoint from the next call on (the failed
 * call still fails, and the observer retries it), and after {@code backToPreferred} on another
 * endpoint it tries the first again. Switching is logged at WARN, with the endpoints' paths left
 * out (they often carry API keys).
 */
public final class ChainReader implements ChainSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainReader.class);

  /** How long the reader stays on a fallback endpoint before it tries the preferred one again. */
  public static final Duration DEFAULT_BACK_TO_PREFERRED = Duration.ofMinutes(1);

  private final int chainId;
  private final String coreAddress;
  private final List<String> endpoints;
  private final List<Web3j> clients;
  private final long backToPreferredNanos;
  private volatile int current;
  private volatile long leftPreferredAtNanos;

  public ChainReader(int chainId, String rpcUrl, String coreAddress, Duration timeout) {
    this(chainId, List.of(rpcUrl), coreAddress, timeout, DEFAULT_BACK_TO_PREFERRED);
  }

  /** Reads through {@code rpcUrls}, the first preferred (see the class comment). */
  public ChainReader(
      int chainId,
      List<String> rpcUrls,
      String coreAddress,
      Duration timeout,
      Duration backToPreferred) {
    if (rpcUrls.isEmpty())
      throw new IllegalArgumentException("chain " + chainId + ": no RPC endpoint");
    this.chainId = chainId;
    this.coreAddress = coreAddress.toLowerCase();
    this.endpoints = List.copyOf(rpcUrls);
    this.backToPreferredNanos = backToPreferred.toNanos();
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            .build();
    this.clients = endpoints.stream().map(u -> Web3j.build(new HttpService(u, http))).toList();
  }

  public int chainId() {
    return chainId;
  }

  /** The endpoint in use now, without its path (which may carry an API key). */
  public String endpoint() {
    return describe(current);
  }

  private String describe(int i) {
    String url = endpoints.get(i);
    String shown =
        url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^@/]*@)?([^/?#]*).*$", "$1$2/…");
    return endpoints.size() == 1
        ? shown
        : "endpoint " + (i + 1) + " of " + endpoints.size() + " (" + shown + ")";
  }

  /** The client of the endpoint in use, back on the preferred one once it is due. */
  private Web3j web3j() {
    int i = current;
    if (i != 0 && System.nanoTime() - leftPreferredAtNanos >= backToPreferredNanos) {
      LOG.info(
          "chain {}: trying the preferred RPC {} again after {} s on {}",
          chainId,
          describe(0),
          backToPreferredNanos / 1_000_000_000,
          describe(i));
      current = 0;
      i = 0;
    }
    return clients.get(i);
  }

  /** A call on the endpoint in use failed: the next call goes to the next endpoint. */
  private void failedOver(RuntimeException failure) {
    if (endpoints.size() == 1) return;
    int from = current;
    int to = (from + 1) % endpoints.size();
    if (from == 0) leftPreferredAtNanos = System.nanoTime();
    current = to;
    LOG.warn(
        "chain {}: RPC {} failed ({}); reading from {} from now on",
        chainId,
        describe(from),
        failure.getMessage(),
        describe(to));
  }

  private MalformedRpcDataException malformed(String message) {
    MalformedRpcDataException e = new MalformedRpcDataException(message);
    failedOver(e);
    return e;
  }

  public long head() {
    return send("eth_blockNumber", web3j().ethBlockNumber()).getBlockNumber().longValueExact();
  }

  /**
   * The block the tag names ("safe", "finalized"), or empty when the chain does not know the tag.
   */
  public Optional<BlockRef> taggedBlock(DefaultBlockParameterName tag) {
    EthBlock r;
    try {
      r =
          send(
              "eth_getBlockByNumber(" + tag.getValue() + ")",
              web3j().ethGetBlockByNumber(tag, false));
    } catch (RpcException e) {
      return Optional.empty();
    }
    EthBlock.Block b = r.getBlock();
    return b == null
        ? Optional.empty()
        : Optional.of(ref(b, "eth_getBlockByNumber(" + tag.getValue() + ")"));
  }

  public BlockRef block(long number) {
    String call = "eth_getBlockByNumber(" + number + ")";
    EthBlock.Block b =
        send(
                call,
                web3j()
                    .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false))
            .getBlock();
    if (b == null) throw new RpcException(call + " on chain " + chainId + ": no such block");
    BlockRef ref = ref(b, call);
    if (ref.number() != number) {
      throw malformed(call + " returned block " + ref.number());
    }
    return ref;
  }

  BlockRef blockByHash(String hash) {
    String call = "eth_getBlockByHash(" + hash + ")";
    EthBlock.Block b = send(call, web3j().ethGetBlockByHash(hash, false)).getBlock();
    if (b == null)
      throw new RpcException(call + " on chain " + chainId + ": no such block (reorged out?)");
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
    EthLog r = send(call, web3j().ethGetLogs(filter));
    List<Log> logs = new ArrayList<>();
    for (EthLog.LogResult<?> lr : r.getLogs()) {
      if (!(lr.get() instanceof Log log)) throw malformed(call + " returned a non-log entry");
      if (log.isRemoved()) continue;
      logs.add(log);
    }
    return toMessages(logs, call, from, to, null);
  }

  /**
   * The core contract's messages in one transaction, or an empty list when it has none or is
   * unknown.
   */
  public List<ObservedMessage> messagesInTransaction(String txHash) {
    String call = "eth_getTransactionReceipt(" + txHash + ")";
    Optional<TransactionReceipt> receipt =
        send(call, web3j().ethGetTransactionReceipt(txHash)).getTransactionReceipt();
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
    return toMessages(logs, call, 0, Long.MAX_VALUE, txHash);
  }

  /**
   * Decodes logs the endpoint returned for a query of blocks [from, to] (and of one transaction
   * when {@code txHash} is not null). A log outside what was asked for is garbage from the
   * endpoint, not a message: signing it would sign what this node never asked its chain about.
   */
  private List<ObservedMessage> toMessages(
      List<Log> logs, String call, long from, long to, String txHash) {
    Map<String, BlockRef> blocks = new HashMap<>();
    List<ObservedMessage> out = new ArrayList<>(logs.size());
    for (Log log : logs) {
      if (log.getBlockHash() == null
          || log.getBlockNumberRaw() == null
          || log.getTransactionHash() == null) {
        throw malformed(call + " returned a log without block or transaction");
      }
      if (!coreAddress.equalsIgnoreCase(log.getAddress())) {
        throw malformed(call + " returned a log of another contract " + log.getAddress());
      }
      LogMessagePublished.Decoded d;
      try {
        d = LogMessagePublished.decode(log);
      } catch (MalformedRpcDataException e) {
        failedOver(e);
        throw e;
      }
      BlockRef block = blocks.computeIfAbsent(log.getBlockHash(), this::blockByHash);
      long blockNumber = number(log.getBlockNumber(), call);
      if (blockNumber < from || blockNumber > to) {
        throw malformed(
            call + " returned a log of block " + blockNumber + ", outside the blocks asked for");
      }
      if (txHash != null && !sameHash(txHash, log.getTransactionHash())) {
        throw malformed(
            call + " returned a log of another transaction " + log.getTransactionHash());
      }
      if (block.number() != blockNumber) {
        throw malformed(
            call + ": log says block " + blockNumber + " but its hash is block " + block.number());
      }
      out.add(
          new ObservedMessage(
              chainId,
              d.sender32(),
              d.sequence(),
              d.nonce(),
              d.consistencyLevel(),
              d.payload(),
              block.timestamp(),
              blockNumber,
              log.getBlockHash(),
              log.getTransactionHash(),
              number(log.getLogIndex(), call)));
    }
    return out;
  }

  /** Two hex hashes alike, with or without 0x, in any case. */
  static boolean sameHash(String a, String b) {
    return b != null && strip0x(a).equalsIgnoreCase(strip0x(b));
  }

  private static String strip0x(String h) {
    return h.startsWith("0x") || h.startsWith("0X") ? h.substring(2) : h;
  }

  private BlockRef ref(EthBlock.Block b, String call) {
    if (b.getNumberRaw() == null || b.getHash() == null || b.getTimestampRaw() == null) {
      throw malformed(
          call + " on chain " + chainId + " returned a block without number, hash or timestamp");
    }
    return new BlockRef(
        number(b.getNumber(), call),
        b.getHash(),
        number(b.getTimestamp(), call),
        b.getParentHash());
  }

  private long number(BigInteger v, String call) {
    try {
      return v.longValueExact();
    } catch (ArithmeticException | NullPointerException e) {
      throw malformed(call + " returned an out-of-range number " + v);
    }
  }

  private <T extends Response<?>> T send(String call, Request<?, T> request) {
    T response;
    try {
      response = request.send();
    } catch (IOException | RuntimeException e) {
      throw failed(
          new RpcException(
              call + " on chain " + chainId + " (" + endpoint() + ") failed: " + e, e));
    }
    if (response == null)
      throw failed(new RpcException(call + " on chain " + chainId + ": empty answer"));
    if (response.hasError()) {
      throw failed(
          new RpcException(
              call
                  + " on chain "
                  + chainId
                  + " answered error "
                  + response.getError().getCode()
                  + ": "
                  + response.getError().getMessage()));
    }
    return response;
  }

  private RpcException failed(RpcException e) {
    failedOver(e);
    return e;
  }

  /** A block's identity and time. */
  public record BlockRef(long number, String hash, long timestamp, String parentHash) {}

  @Override
  public void close() {
    clients.forEach(Web3j::shutdown);
  }
}
