package dev.vigil.relayer;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.evm.ContractRevertException;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * Delivers to one destination from one thread, with up to {@code maxPendingTransactions}
 * transactions in flight. The thread owns the sender's nonce sequence on this chain: each
 * transaction takes the next nonce; after any failed or doubtful send the sequence is read again
 * from the chain ({@code eth_getTransactionCount(pending)}), so a nonce the node did not take is
 * reused by the next send instead of leaving a gap that would hold up every later transaction.
 * Receipts of all transactions in flight are polled from the same loop, once per new block.
 *
 * <p>Each attestation: if the receiver says it is executed already, nothing is sent; else {@code
 * receiveMessage} (gas estimated first, so a replay is refused before sending). A failure (RPC
 * down, a revert other than "message already executed") is retried with exponential backoff and
 * jitter until the give-up time; attestations that wait for a retry do not hold up the others.
 */
final class DestinationSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DestinationSender.class);
  static final String ALREADY_EXECUTED = "message already executed";

  /** How far back a delivery whose answer was lost is looked for in the receiver's logs. */
  private static final long LOOKBACK_BLOCKS = 10_000;

  private static final String MESSAGE_RECEIVED_TOPIC =
      EventEncoder.encode(
          new Event(
              "MessageReceived",
              List.of(
                  new TypeReference<Bytes32>(true) {},
                  new TypeReference<Uint16>(true) {},
                  new TypeReference<Bytes32>(true) {},
                  new TypeReference<Uint64>() {},
                  new TypeReference<DynamicBytes>() {})));

  /**
   * How often receipts are looked for while transactions are in flight (one eth_blockNumber if no
   * new block).
   */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * A transaction this long without a receipt is looked up: still in the node's pool, or dropped?
   */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** The gas price is read again after this long (base fees move per block). */
  private static final long GAS_PRICE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** An attestation on its way; only the sender thread touches it after it is queued. */
  static final class Pending {
    final AttestationEvents.Received received;
    final Digest digest;
    final MessageId id;
    final long firstSeenNanos;
    int attempts;
    long dueNanos;
    String lastError;
    boolean
        mayHaveSent; // a send failed in a way that leaves unknown whether the transaction went out
    Sent doubtful; // a transaction whose send answer was lost: looked up before anything is sent

    // again

    Pending(AttestationEvents.Received received, long firstSeenNanos) {
      this.received = received;
      this.digest = received.attestation().digest();
      this.id = received.attestation().messageId();
      this.firstSeenNanos = firstSeenNanos;
    }
  }

  /** A transaction of ours the node took, its receipt not seen yet. */
  private static final class Sent {
    final Pending p;
    final EvmClient.SignedTransaction tx;
    final String data;
    final BigInteger gasLimit;
    long checkedNanos;

    Sent(Pending p, EvmClient.SignedTransaction tx, String data, BigInteger gasLimit, long now) {
      this.p = p;
      this.tx = tx;
      this.data = data;
      this.gasLimit = gasLimit;
      this.checkedNanos = now;
    }
  }

  private final RelayerSettings.Destination destination;
  private final RelayerSettings settings;
  private final RelayerListener listener;
  private final RandomGenerator random;
  private final Semaphore slots;
  private final LinkedBlockingQueue<Pending> incoming = new LinkedBlockingQueue<>();
  private final PriorityQueue<Pending> waiting =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
  private final Map<String, Sent> sent = new LinkedHashMap<>(); // by tx hash, in nonce order
  private final OkHttpClient okHttp;
  private final ScheduledExecutorService web3jExecutor;
  private final Web3j web3j;
  private final EvmClient client;
  private final MessageReceiverContract receiver;
  private final InstalledCommittees committees;
  private final java.util.concurrent.ConcurrentLinkedQueue<Attestation> rotations =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private BigInteger nextNonce; // null: read from the chain before the next send
  private BigInteger gasPrice;
  private long gasPriceAt;
  private long lastPollNanos;
  private BigInteger lastPolledHead;

  final AtomicLong delivered = new AtomicLong();
  final AtomicLong alreadyExecuted = new AtomicLong();
  final AtomicLong failedAttempts = new AtomicLong();
  final AtomicLong gaveUp = new AtomicLong();
  final LatencyStats latency = new LatencyStats(1024);

  DestinationSender(
      RelayerSettings.Destination destination,
      RelayerSettings settings,
      RelayerListener listener,
      RandomGenerator random) {
    this.destination = destination;
    this.settings = settings;
    this.listener = listener;
    this.random = random;
    this.slots = new Semaphore(settings.maxInFlight());
    this.okHttp =
        new OkHttpClient.Builder()
            .connectTimeout(settings.rpcTimeout())
            .readTimeout(settings.rpcTimeout())
            .writeTimeout(settings.rpcTimeout())
            .build();
    this.web3jExecutor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "relayer-web3j-" + destination.name());
              t.setDaemon(true);
              return t;
            });
    this.web3j =
        Web3j.build(new HttpService(destination.rpcUrl().toString(), okHttp), 500, web3jExecutor);
    this.client = new EvmClient(web3j, settings.sender(), destination.evmChainId());
    this.receiver = MessageReceiverContract.at(client, destination.receiver());
    this.committees =
        new InstalledCommittees(
            destination.name(), client, receiver, settings.retryInitial(), settings.retryMax());
    this.thread = new Thread(this::run, "relayer-send-" + destination.name());
  }

  void start() {
    thread.start();
  }

  String name() {
    return destination.name();
  }

  /**
   * Whether {@code a} carries a quorum of the committee it names as installed on this destination
   * (waits while it cannot ask).
   */
  Verdict verify(Attestation a) throws InterruptedException {
    return committees.verify(a);
  }

  /**
   * A committee rotation to install on this destination's VigilCore (once): sent by this sender's
   * thread between deliveries, so its nonce is this sender's too.
   */
  void rotate(Attestation rotation) {
    rotations.add(rotation);
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
      try {
        Attestation rotation = rotations.poll();
        if (rotation != null) install(rotation);
        long now = System.nanoTime();
        long untilPoll =
            sent.isEmpty()
                ? TimeUnit.SECONDS.toNanos(1)
                : Math.max(0, lastPollNanos + POLL_NANOS - now);
        if (sent.size() < settings.maxPendingTransactions()) {
          Pending p = next(untilPoll);
          if (p != null) attempt(p);
        } else if (untilPoll > 0) {
          TimeUnit.NANOSECONDS.sleep(untilPoll);
        }
        if (!sent.isEmpty() && System.nanoTime() - (lastPollNanos + POLL_NANOS) >= 0) {
          pollReceipts();
          lastPollNanos = System.nanoTime();
        }
      } catch (InterruptedException e) {
        break;
      }
    }
  }

  /**
   * The next attestation to try: a due retry, else a new one, waiting up to {@code maxWaitNanos}
   * for one.
   */
  private Pending next(long maxWaitNanos) throws InterruptedException {
    Pending head = waiting.peek();
    long now = System.nanoTime();
    if (head != null && head.dueNanos - now <= 0) return waiting.poll();
    long wait = head == null ? maxWaitNanos : Math.min(maxWaitNanos, head.dueNanos - now);
    return wait <= 0 ? incoming.poll() : incoming.poll(wait, TimeUnit.NANOSECONDS);
  }

  /**
   * Checks, estimates and sends {@code p}'s transaction with the next nonce; its receipt is awaited
   * by {@link #pollReceipts}.
   */
  private void attempt(Pending p) {
    p.attempts++;
    boolean sending = false;
    try {
      if (p.doubtful != null) {
        Sent d = p.doubtful;
        // the node may have taken it: a receipt, or a place in its pool, means nothing is sent
        // again
        Optional<TransactionReceipt> r =
            web3j.ethGetTransactionReceipt(d.tx.hash()).send().getTransactionReceipt();
        boolean pooled =
            r.isEmpty()
                && web3j.ethGetTransactionByHash(d.tx.hash()).send().getTransaction().isPresent();
        p.doubtful = null;
        if (r.isPresent()) {
          mined(d, r.get());
          return;
        }
        if (pooled) {
          d.checkedNanos = System.nanoTime();
          sent.put(d.tx.hash(), d);
          return;
        }
      }
      if (receiver.isExecuted(p.digest)) {
        Optional<String> ours = p.mayHaveSent ? ourTransaction(p.digest) : Optional.empty();
        if (ours.isPresent()) delivered(p, ours.get());
        else done(p, false);
        return;
      }
      Function call =
          new Function("receiveMessage", List.of(new DynamicBytes(p.received.raw())), List.of());
      BigInteger gasLimit =
          client.gasLimitFor(destination.receiver(), call); // a replay is refused here
      String data = FunctionEncoder.encode(call);
      if (nextNonce == null) nextNonce = client.pendingNonce();
      EvmClient.SignedTransaction tx =
          client.sign(nextNonce, gasPrice(), gasLimit, destination.receiver(), data);
      sending = true;
      p.doubtful = new Sent(p, tx, data, gasLimit, System.nanoTime());
      EthSendTransaction answer = web3j.ethSendRawTransaction(tx.raw()).send();
      // "already known": this very transaction is in the pool already (an earlier answer was lost)
      if (answer.hasError()
          && !String.valueOf(answer.getError().getMessage()).contains("already known")) {
        // not taken ("nonce too low", "replacement transaction underpriced", ...): the nonce is
        // read again, so the next send reuses it if it is still free. Still doubtful: the HTTP
        // client retries a POST whose connection dropped, so "nonce too low" may be the answer to
        // our own transaction sent a second time; the retry looks it up by its hash.
        sending = false;
        p.mayHaveSent = true;
        nextNonce = null;
        failed(p, "transaction rejected: " + answer.getError().getMessage());
        return;
      }
      p.doubtful = null;
      nextNonce = nextNonce.add(BigInteger.ONE);
      sent.put(tx.hash(), new Sent(p, tx, data, gasLimit, System.nanoTime()));
      sending = false;
    } catch (ContractRevertException e) {
      if (ALREADY_EXECUTED.equals(e.reason())) {
        // executed between our check and our estimate (another relayer won the race)
        done(p, false);
      } else {
        failed(p, "receiver reverted: " + e.reason());
      }
    } catch (IOException | RuntimeException e) {
      if (sending) p.mayHaveSent = true;
      nextNonce = null; // the node may or may not have taken the nonce: ask it
      gasPrice = null;
      failed(p, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /**
   * Installs a rotation on this destination's VigilCore unless it is there already: after the
   * transactions in flight have their receipts (one nonce sequence), with the contract's own checks
   * (governance emitter, signed by the current committee, index + 1). Refused or failed: logged,
   * and tried again with the next attestation that needs it.
   */
  private void install(Attestation rotation) throws InterruptedException {
    var decoded =
        dev.vigil.consensus.governance.GovernanceCodec.decodeRotation(rotation.body().payload());
    if (!(decoded instanceof dev.vigil.consensus.governance.RotationResult.Ok ok)) return;
    long newIndex = ok.rotation().newIndex();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!sent.isEmpty() && System.nanoTime() < deadline) {
      pollReceipts();
      Thread.sleep(200);
    }
    try {
      VigilCoreContract core = VigilCoreContract.at(client, receiver.core());
      long current = core.currentCommitteeIndex();
      if (current >= newIndex) return; // installed already (by another relayer, or earlier)
      VigilCoreContract.Rotation r = core.submitNewGuardianSet(AttestationCodec.encode(rotation));
      nextNonce = null;
      log.info(
          "installed committee {} ({} members) on {} (VigilCore {}), replacing committee {}: tx {}, gas {}",
          r.newIndex(),
          r.members().size(),
          destination.name(),
          core.address(),
          r.oldIndex(),
          r.txHash(),
          r.gasUsed());
    } catch (RuntimeException e) {
      nextNonce = null;
      log.warn(
          "could not install committee {} on {}: {}; tried again when an attestation needs it",
          newIndex,
          destination.name(),
          e.getMessage());
    }
  }

  private BigInteger gasPrice() {
    long now = System.nanoTime();
    if (gasPrice == null || now - gasPriceAt > GAS_PRICE_NANOS) {
      gasPrice = client.currentGasPrice();
      gasPriceAt = now;
    }
    return gasPrice;
  }

  /**
   * Looks for the receipts of every transaction in flight, if a block came since the last look. A
   * transaction long without a receipt that the node no longer knows was dropped from its pool: its
   * attestation is retried (with the nonce read again, which fills the hole it left).
   */
  private void pollReceipts() {
    try {
      BigInteger head = web3j.ethBlockNumber().send().getBlockNumber();
      long now = System.nanoTime();
      boolean patienceOver =
          sent.values().stream().anyMatch(s -> now - s.checkedNanos > PATIENCE_NANOS);
      if (head.equals(lastPolledHead) && !patienceOver) return;
      for (Iterator<Sent> it = sent.values().iterator(); it.hasNext(); ) {
        Sent s = it.next();
        Optional<TransactionReceipt> r =
            web3j.ethGetTransactionReceipt(s.tx.hash()).send().getTransactionReceipt();
        if (r.isPresent()) {
          it.remove();
          mined(s, r.get());
        } else if (now - s.checkedNanos > PATIENCE_NANOS) {
          if (web3j.ethGetTransactionByHash(s.tx.hash()).send().getTransaction().isPresent()) {
            s.checkedNanos = now; // still pending (a slow or congested chain): keep waiting
          } else {
            it.remove();
            nextNonce = null;
            failed(
                s.p,
                "transaction "
                    + s.tx.hash()
                    + " (nonce "
                    + s.tx.nonce()
                    + ") was dropped without a receipt");
          }
        }
      }
      lastPolledHead = head;
    } catch (IOException | RuntimeException e) {
      // the transactions stay in flight: their receipts are asked for again at the next poll
      log.debug("polling receipts on {} failed: {}", destination.name(), e.toString());
    }
  }

  private void mined(Sent s, TransactionReceipt r) {
    if (r.isStatusOK()) {
      delivered(s.p, s.tx.hash());
      return;
    }
    String reason = client.revertReasonOf(r, destination.receiver(), s.data, s.gasLimit);
    if (ALREADY_EXECUTED.equals(reason) || receiverSaysExecuted(s.p)) {
      // another relayer's transaction (or an earlier one of ours whose answer was lost) came first
      Optional<String> ours = s.p.mayHaveSent ? ourTransaction(s.p.digest) : Optional.empty();
      if (ours.isPresent()) delivered(s.p, ours.get());
      else done(s.p, false);
    } else {
      failed(s.p, "receiver reverted: " + reason + " (tx " + s.tx.hash() + ")");
    }
  }

  /** Whether the digest is executed now; false if that cannot be told (the retry asks again). */
  private boolean receiverSaysExecuted(Pending p) {
    try {
      return receiver.isExecuted(p.digest);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void delivered(Pending p, String txHash) {
    Duration latency = Duration.ofNanos(System.nanoTime() - p.firstSeenNanos);
    delivered.incrementAndGet();
    this.latency.record(latency);
    if (p.attempts > 1) {
      log.info(
          "delivered {} to {} after {} attempts (tx {})",
          p.id,
          destination.name(),
          p.attempts,
          txHash);
    } else {
      log.debug(
          "delivered {} to {} (tx {}, {} ms)",
          p.id,
          destination.name(),
          txHash,
          latency.toMillis());
    }
    done(p, true);
    try {
      listener.onDelivered(
          new Delivery(p.id, p.digest, destination.name(), txHash, latency, p.attempts));
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
      log.error(
          "gave up delivering {} (digest {}) to {} after {} attempts over {} s: {}",
          p.id,
          p.digest.toHex(),
          destination.name(),
          p.attempts,
          Duration.ofNanos(now - p.firstSeenNanos).toSeconds(),
          error);
      slots.release();
      try {
        listener.onGaveUp(p.id, p.digest, destination.name(), p.attempts, error);
      } catch (RuntimeException e) {
        log.warn("relayer listener failed on give-up of {}: {}", p.id, e.toString());
      }
      return;
    }
    Duration delay =
        Backoff.delay(settings.retryInitial(), settings.retryMax(), p.attempts, random);
    if (p.attempts == 1) {
      log.warn(
          "delivery of {} to {} failed: {}; retrying with backoff for up to {} s",
          p.id,
          destination.name(),
          error,
          settings.giveUpAfter().toSeconds());
    } else {
      log.debug(
          "delivery of {} to {} failed again (attempt {}): {}",
          p.id,
          destination.name(),
          p.attempts,
          error);
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
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameter.valueOf(from),
              DefaultBlockParameterName.LATEST,
              destination.receiver());
      filter.addSingleTopic(MESSAGE_RECEIVED_TOPIC);
      filter.addSingleTopic(digest.toHex());
      EthLog logs = web3j.ethGetLogs(filter).send();
      if (logs.hasError() || logs.getLogs() == null) return Optional.empty();
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        if (!(result.get() instanceof Log l)) continue;
        Optional<Transaction> tx =
            web3j.ethGetTransactionByHash(l.getTransactionHash()).send().getTransaction();
        if (tx.isPresent() && settings.senderAddress().equalsIgnoreCase(tx.get().getFrom())) {
          return Optional.of(l.getTransactionHash());
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug(
          "could not tell who executed {} on {}: {}",
          digest.toHex(),
          destination.name(),
          e.toString());
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
    if (thread.isAlive())
      log.warn("relayer sender for {} did not stop in time", destination.name());
    web3j.shutdown();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
