package dev.vigil.node.relayer;

import dev.vigil.consensus.attestation.Digest;
import dev.vigil.consensus.attestation.MessageId;
import dev.vigil.node.evm.ContractRevertException;
import dev.vigil.node.evm.EvmClient;
import dev.vigil.node.evm.MessageReceiverContract;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers to one destination from one thread, so the sender's transactions go out in nonce order.
 * Each attestation: if the receiver says it is executed already, nothing is sent; else
 * {@code receiveMessage} (gas estimated first, so a replay is refused before sending). A failure
 * (RPC down, a revert other than "message already executed") is retried with exponential backoff
 * and jitter until the give-up time; attestations that wait for a retry do not hold up the others.
 */
final class DestinationSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DestinationSender.class);
  static final String ALREADY_EXECUTED = "message already executed";
  /** How far back a delivery whose answer was lost is looked for in the receiver's logs. */
  private static final long LOOKBACK_BLOCKS = 10_000;
  private static final String MESSAGE_RECEIVED_TOPIC = EventEncoder.encode(new Event("MessageReceived", List.of(
      new TypeReference<Bytes32>(true) {}, new TypeReference<Uint16>(true) {}, new TypeReference<Bytes32>(true) {},
      new TypeReference<Uint64>() {}, new TypeReference<DynamicBytes>() {})));

  /** An attestation on its way; only the sender thread touches it after it is queued. */
  static final class Pending {
    final AttestationEvents.Received received;
    final Digest digest;
    final MessageId id;
    final long firstSeenNanos;
    int attempts;
    long dueNanos;
    String lastError;
    boolean mayHaveSent; // a send failed in a way that leaves unknown whether the transaction went out

    Pending(AttestationEvents.Received received, long firstSeenNanos) {
      this.received = received;
      this.digest = received.attestation().digest();
      this.id = received.attestation().messageId();
      this.firstSeenNanos = firstSeenNanos;
    }
  }

  private final RelayerSettings.Destination destination;
  private final RelayerSettings settings;
  private final RelayerListener listener;
  private final RandomGenerator random;
  private final Semaphore slots;
  private final LinkedBlockingQueue<Pending> incoming = new LinkedBlockingQueue<>();
  private final PriorityQueue<Pending> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
  private final OkHttpClient okHttp;
  private final ScheduledExecutorService web3jExecutor;
  private final Web3j web3j;
  private final Thread thread;
  private volatile boolean running = true;
  private EvmClient client; // rebuilt after a failure: its nonce counter may be ahead of the chain

  final AtomicLong delivered = new AtomicLong();
  final AtomicLong alreadyExecuted = new AtomicLong();
  final AtomicLong failedAttempts = new AtomicLong();
  final AtomicLong gaveUp = new AtomicLong();
  final LatencyStats latency = new LatencyStats(1024);

  DestinationSender(RelayerSettings.Destination destination, RelayerSettings settings, RelayerListener listener,
      RandomGenerator random) {
    this.destination = destination;
    this.settings = settings;
    this.listener = listener;
    this.random = random;
    this.slots = new Semaphore(settings.maxInFlight());
    this.okHttp = new OkHttpClient.Builder()
        .connectTimeout(settings.rpcTimeout())
        .readTimeout(settings.rpcTimeout())
        .writeTimeout(settings.rpcTimeout())
        .build();
    this.web3jExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "relayer-web3j-" + destination.name());
      t.setDaemon(true);
      return t;
    });
    this.web3j = Web3j.build(new HttpService(destination.rpcUrl().toString(), okHttp), 500, web3jExecutor);
    this.thread = new Thread(this::run, "relayer-send-" + destination.name());
  }

  void start() {
    thread.start();
  }

  String name() {
    return destination.name();
  }

  /** Queues {@code p}, waiting while {@code maxInFlight} attestations are on their way here. */
  void put(Pending p) throws InterruptedException {
    slots.acquire();
    incoming.add(p);
  }

  long inFlight() {
    return settings.maxInFlight() - slots.availablePermits();
  }

  private void run() {
    while (running) {
      Pending p;
      try {
        p = next();
      } catch (InterruptedException e) {
        break;
      }
      if (p != null) attempt(p);
    }
  }

  /** The next attestation to try: a due retry, else a new one, waiting until one of them is there. */
  private Pending next() throws InterruptedException {
    Pending head = waiting.peek();
    long now = System.nanoTime();
    if (head != null && head.dueNanos - now <= 0) return waiting.poll();
    long wait = head == null ? TimeUnit.SECONDS.toNanos(1) : head.dueNanos - now;
    return incoming.poll(wait, TimeUnit.NANOSECONDS);
  }

  private void attempt(Pending p) {
    p.attempts++;
    boolean sending = false;
    try {
      MessageReceiverContract receiver = receiver();
      if (receiver.isExecuted(p.digest)) {
        Optional<String> ours = p.mayHaveSent ? ourTransaction(p.digest) : Optional.empty();
        if (ours.isPresent()) delivered(p, ours.get());
        else done(p, false);
        return;
      }
      sending = true;
      MessageReceiverContract.Received r = receiver.receiveMessage(p.received.raw());
      delivered(p, r.txHash());
    } catch (ContractRevertException e) {
      if (ALREADY_EXECUTED.equals(e.reason())) {
        // executed between our check and our send (another relayer won the race)
        done(p, false);
      } else {
        failed(p, "receiver reverted: " + e.reason() + (e.mined() ? " (tx " + e.txHash().orElse("?") + ")" : ""));
      }
    } catch (RuntimeException e) {
      if (sending) p.mayHaveSent = true;
      client = null;
      failed(p, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private MessageReceiverContract receiver() {
    if (client == null) client = new EvmClient(web3j, settings.sender(), destination.evmChainId());
    return MessageReceiverContract.at(client, destination.receiver());
  }

  private void delivered(Pending p, String txHash) {
    Duration latency = Duration.ofNanos(System.nanoTime() - p.firstSeenNanos);
    delivered.incrementAndGet();
    this.latency.record(latency);
    if (p.attempts > 1) {
      log.info("delivered {} to {} after {} attempts (tx {})", p.id, destination.name(), p.attempts, txHash);
    } else {
      log.debug("delivered {} to {} (tx {}, {} ms)", p.id, destination.name(), txHash, latency.toMillis());
    }
    done(p, true);
    try {
      listener.onDelivered(new Delivery(p.id, p.digest, destination.name(), txHash, latency, p.attempts));
    } catch (RuntimeException e) {
      log.warn("relayer listener failed on delivery of {}: {}", p.id, e.toString());
    }
  }

  private void done(Pending p, boolean ours) {
    if (!ours) {
      alreadyExecuted.incrementAndGet();
      log.debug("{} is already executed on {}; nothing sent", p.id, destination.name());
    }
    slots.release();
  }

  private void failed(Pending p, String error) {
    failedAttempts.incrementAndGet();
    p.lastError = error;
    long now = System.nanoTime();
    long deadline = p.firstSeenNanos + settings.giveUpAfter().toNanos();
    if (now - deadline >= 0) {
      gaveUp.incrementAndGet();
      log.error("gave up delivering {} (digest {}) to {} after {} attempts over {} s: {}", p.id, p.digest.toHex(),
          destination.name(), p.attempts, Duration.ofNanos(now - p.firstSeenNanos).toSeconds(), error);
      slots.release();
      try {
        listener.onGaveUp(p.id, p.digest, destination.name(), p.attempts, error);
      } catch (RuntimeException e) {
        log.warn("relayer listener failed on give-up of {}: {}", p.id, e.toString());
      }
      return;
    }
    Duration delay = Backoff.delay(settings.retryInitial(), settings.retryMax(), p.attempts, random);
    if (p.attempts == 1) {
      log.warn("delivery of {} to {} failed: {}; retrying with backoff for up to {} s", p.id, destination.name(), error,
          settings.giveUpAfter().toSeconds());
    } else {
      log.debug("delivery of {} to {} failed again (attempt {}): {}", p.id, destination.name(), p.attempts, error);
    }
    // one last attempt at the deadline rather than none after it
    p.dueNanos = deadline - (now + delay.toNanos()) < 0 ? deadline : now + delay.toNanos();
    waiting.add(p);
  }

  /**
   * The transaction of ours that executed {@code digest}, if any: an earlier attempt sent it but
   * lost the answer (RPC dropped the connection), so the receiver's MessageReceived log tells.
   */
  private Optional<String> ourTransaction(Digest digest) {
    try {
      BigInteger head = web3j.ethBlockNumber().send().getBlockNumber();
      BigInteger from = head.subtract(BigInteger.valueOf(LOOKBACK_BLOCKS)).max(BigInteger.ZERO);
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(from), DefaultBlockParameterName.LATEST,
          destination.receiver());
      filter.addSingleTopic(MESSAGE_RECEIVED_TOPIC);
      filter.addSingleTopic("0x" + digest.toHex());
      EthLog logs = web3j.ethGetLogs(filter).send();
      if (logs.hasError() || logs.getLogs() == null) return Optional.empty();
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        if (!(result.get() instanceof Log l)) continue;
        Optional<Transaction> tx = web3j.ethGetTransactionByHash(l.getTransactionHash()).send().getTransaction();
        if (tx.isPresent() && settings.senderAddress().equalsIgnoreCase(tx.get().getFrom())) {
          return Optional.of(l.getTransactionHash());
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("could not tell who executed {} on {}: {}", digest.toHex(), destination.name(), e.toString());
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(settings.rpcTimeout().plusSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) log.warn("relayer sender for {} did not stop in time", destination.name());
    web3j.shutdown();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
