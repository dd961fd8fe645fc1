package dev.vigil.relayer;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.governance.GovernanceCodec;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the attestation streams of one or more guardian nodes and delivers each attestation to
 * the receiver its emitter is routed to, exactly once.
 *
 * <p>Per node it keeps one stream per route ({@code ?chain=&emitter=&from=}): after a break it
 * reopens that stream from the first sequence not yet received, so nothing is lost while it was
 * down; and one live stream of everything, where attestations without a route are counted and
 * skipped. Every node is followed at once and attestations are de-duplicated by digest, so a node
 * that is down or killed costs nothing while another serves the same attestations.
 *
 * <p>Per destination one thread sends, in nonce order. Before sending, the receiver is asked
 * whether the digest is executed already; a revert "message already executed" counts as done too.
 * Other failures are retried with backoff until the give-up time (see {@link RelayerSettings}).
 *
 * <pre>{@code
 * try (Relayer relayer = new Relayer(RelayerSettings.of(nodes, routes, key), d -> print(d))) {
 *   relayer.start();
 *   ... relayer.snapshot() ...
 * }
 * }</pre>
 */
public final class Relayer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relayer.class);

  /**
   * A gap in an emitter's sequences older than this many messages is not replayed again on
   * reconnection.
   */
  static final long RESUME_WINDOW = 10_000;

  private static final int SEEN_CAPACITY = 200_000;

  private record EmitterKey(int chain, Bytes32 emitter) {}

  /** What a route needs at run time: its sender and how far its emitter's stream got. */
  private record RouteState(
      RelayerSettings.Route route, DestinationSender sender, EmitterProgress progress) {}

  private final RelayerSettings settings;
  private final Map<EmitterKey, RouteState> routes = new LinkedHashMap<>();
  private final Map<String, DestinationSender> senders = new LinkedHashMap<>();
  private final Map<URI, StreamFollower.SourceCounters> sources = new LinkedHashMap<>();
  private final List<StreamFollower> followers = new ArrayList<>();
  private final List<Thread> followerThreads = new ArrayList<>();
  private final SeenDigests seen = new SeenDigests(SEEN_CAPACITY);
  private final java.util.Set<Digest> rotationsSeen =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong seenCount = new AtomicLong();
  private final AtomicLong skippedNoRoute = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  /**
   * When an invalid copy was last logged: one WARN per 10 s at most, a hostile stream could send
   * many.
   */
  private final AtomicLong invalidLoggedAt =
      new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(10));

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean governanceFollowed;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HttpClient http;
  private final ScheduledExecutorService watchdog;
  private final EvidenceWatcher evidence; // null: evidence submission is off

  public Relayer(RelayerSettings settings) {
    this(settings, RelayerListener.NONE);
  }

  public Relayer(RelayerSettings settings, RelayerListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(listener, "listener");
    RandomGenerator random = new Random();
    for (RelayerSettings.Destination d : settings.destinations()) {
      senders.put(d.name(), new DestinationSender(d, settings, listener, random));
    }
    for (RelayerSettings.Route r : settings.routes()) {
      routes.put(
          new EmitterKey(r.emitterChain(), r.emitter()),
          new RouteState(
              r, senders.get(r.destination().name()), new EmitterProgress(0, RESUME_WINDOW)));
    }
    http = streamClient(settings);
    for (URI node : settings.nodes()) {
      StreamFollower.SourceCounters counters = new StreamFollower.SourceCounters();
      sources.put(node, counters);
      URI all = URI.create(node + "/v1/attestations/stream");
      followers.add(
          new StreamFollower(
              node + " (all)",
              http,
              () -> all,
              live(),
              backoff(random),
              settings.rpcTimeout(),
              counters));
      for (RouteState r : routes.values()) {
        String query =
            "?chain="
                + r.route().emitterChain()
                + "&emitter=0x"
                + r.route().emitter().toHex()
                + "&from=";
        followers.add(
            new StreamFollower(
                node + " (" + r.route() + ")",
                http,
                () -> URI.create(node + "/v1/attestations/stream" + query + r.progress().next()),
                routed(r),
                backoff(random),
                settings.rpcTimeout(),
                counters));
      }
    }
    evidence =
        settings
            .evidence()
            .map(
                e ->
                    new EvidenceWatcher(
                        settings.nodes(), http, settings.rpcTimeout(), EvidenceWatcher.contract(e)))
            .orElse(null);
    watchdog =
        Executors.newScheduledThreadPool(
            evidence == null ? 1 : 2,
            r -> {
              Thread t = new Thread(r, "relayer-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** Opens the streams and starts the senders. */
  public Relayer start() {
    if (closed.get()) throw new IllegalStateException("the relayer is closed");
    if (!started.compareAndSet(false, true))
      throw new IllegalStateException("the relayer is started already");
    senders.values().forEach(DestinationSender::start);
    followGovernance();
    for (StreamFollower f : followers)
      followerThreads.add(Thread.ofVirtual().name("relayer-stream " + f.name()).start(f));
    Duration idle = settings.streamIdleTimeout();
    long every = Math.max(100, Math.min(1000, idle.toMillis() / 4));
    watchdog.scheduleWithFixedDelay(
        () -> followers.forEach(f -> f.closeIfIdle(idle)), every, every, TimeUnit.MILLISECONDS);
    settings
        .evidence()
        .ifPresent(
            e -> {
              long poll = e.pollInterval().toMillis();
              watchdog.scheduleWithFixedDelay(evidence, 0, poll, TimeUnit.MILLISECONDS);
              log.info("evidence submission on: {}", e);
            });
    log.info(
        "relayer started: following {} node(s) {}, {} route(s) {}, sending from {}",
        settings.nodes().size(),
        settings.nodes(),
        settings.routes().size(),
        settings.routes(),
        settings.senderAddress());
    return this;
  }

  /**
   * Every node's governance attestations, replayed from the first each time a stream opens: a
   * rotation attested while this relayer was down or reconnecting is installed all the same. The
   * governance emitter is the one the destinations' VigilCore accepts (read from the first).
   */
  private void followGovernance() {
    if (senders.isEmpty()) return;
    Map.Entry<Integer, Bytes32> emitter;
    try {
      emitter = senders.values().iterator().next().governanceEmitter();
    } catch (RuntimeException e) {
      log.warn(
          "cannot read the governance emitter from {}'s VigilCore ({}); rotations are installed only as they are attested live",
          senders.keySet().iterator().next(),
          e.getMessage());
      return;
    }
    String query =
        "?chain=" + emitter.getKey() + "&emitter=0x" + emitter.getValue().toHex() + "&from=0";
    Random random = new Random();
    governanceFollowed = true;
    for (URI node : settings.nodes()) {
      URI uri = URI.create(node + "/v1/attestations/stream" + query);
      followers.add(
          new StreamFollower(
              node + " (governance)",
              http,
              () -> uri,
              new StreamFollower.Sink() {
                @Override
                public void accept(AttestationEvents.Received received) {
                  rotation(received.attestation());
                }

                @Override
                public void malformed(String reason) {
                  malformed.incrementAndGet();
                }
              },
              backoff(random),
              settings.rpcTimeout(),
              sources.get(node)));
    }
  }

  /** A committee rotation goes to every destination once (each installs it if it lacks it). */
  private void rotation(Attestation a) {
    if (GovernanceCodec.decodeRotation(a.body().payload()).isOk()
        && rotationsSeen.add(a.digest())) {
      log.info(
          "committee rotation {} attested (committee {}): installing it on every destination",
          a.messageId(),
          a.committeeIndex());
      senders.values().forEach(s -> s.rotate(a));
    }
  }

  private Backoff backoff(RandomGenerator random) {
    return new Backoff(settings.reconnectInitial(), settings.reconnectMax(), random);
  }

  /**
   * The live stream of everything: counts what has no route; routed attestations come by their own
   * streams.
   */
  private StreamFollower.Sink live() {
    return new StreamFollower.Sink() {
      @Override
      public void accept(AttestationEvents.Received received) {
        Attestation a = received.attestation();
        rotation(a); // also followed from its own stream, replayed on reconnection
        if (routes.containsKey(new EmitterKey(a.body().emitterChain(), a.body().emitterAddress())))
          return;
        if (!seen.claim(a.digest())) return;
        seenCount.incrementAndGet();
        skippedNoRoute.incrementAndGet();
        log.debug(
            "no route for {} (emitter chain {}); skipped", a.messageId(), a.body().emitterChain());
      }

      @Override
      public void malformed(String reason) {
        malformed.incrementAndGet();
      }
    };
  }

  /**
   * One route's stream: each new attestation goes to the route's sender, waiting while it is full.
   */
  private StreamFollower.Sink routed(RouteState r) {
    return new StreamFollower.Sink() {
      @Override
      public void accept(AttestationEvents.Received received) throws InterruptedException {
        Attestation a = received.attestation();
        if (a.body().emitterChain() != r.route().emitterChain()
            || !a.body().emitterAddress().equals(r.route().emitter())) {
          malformed("the stream of " + r.route() + " sent " + a.messageId());
          return;
        }
        Digest d = a.digest();
        if (seen.contains(d)) return;
        // checked before the digest is taken: a bad copy must not keep the honest ones out
        Verdict v = r.sender().verify(a);
        if (!v.isValid()) {
          malformed.incrementAndGet();
          long now = System.nanoTime();
          long last = invalidLoggedAt.get();
          if (now - last >= TimeUnit.SECONDS.toNanos(10)
              && invalidLoggedAt.compareAndSet(last, now)) {
            log.warn(
                "{} from the stream of {} does not verify against the committee installed on {} ({}); skipped, another copy may be valid"
                    + " ({} malformed or invalid so far)",
                a.messageId(),
                r.route(),
                r.sender().name(),
                v,
                malformed.get());
          }
          return;
        }
        if (!seen.claim(d)) return;
        try {
          r.sender().put(new DestinationSender.Pending(received, System.nanoTime()));
        } catch (InterruptedException e) {
          seen.release(d);
          throw e;
        }
        seenCount.incrementAndGet();
        r.progress().received(a.body().sequence());
      }

      @Override
      public void malformed(String reason) {
        malformed.incrementAndGet();
      }
    };
  }

  public RelayerSettings settings() {
    return settings;
  }

  public RelayerSnapshot snapshot() {
    List<RelayerSnapshot.DestinationStats> dests = new ArrayList<>();
    long delivered = 0, already = 0, failed = 0, gaveUp = 0, inFlight = 0;
    for (DestinationSender s : senders.values()) {
      RelayerSnapshot.DestinationStats d =
          new RelayerSnapshot.DestinationStats(
              s.name(),
              s.delivered.get(),
              s.alreadyExecuted.get(),
              s.failedAttempts.get(),
              s.gaveUp.get(),
              s.inFlight(),
              s.latency.snapshot());
      dests.add(d);
      delivered += d.delivered();
      already += d.alreadyExecuted();
      failed += d.failedAttempts();
      gaveUp += d.gaveUp();
      inFlight += d.inFlight();
    }
    int perNode = 1 + routes.size() + (governanceFollowed ? 1 : 0);
    List<RelayerSnapshot.SourceStats> srcs = new ArrayList<>();
    sources.forEach(
        (node, c) ->
            srcs.add(
                new RelayerSnapshot.SourceStats(
                    node, c.open.get(), perNode, c.connects.get(), c.events.get())));
    return new RelayerSnapshot(
        seenCount.get(),
        delivered,
        already,
        skippedNoRoute.get(),
        failed,
        gaveUp,
        malformed.get(),
        inFlight,
        dests,
        srcs);
  }

  /**
   * Stops following and sending; attestations still in flight are dropped (a restart replays them).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    watchdog.shutdownNow();
    followers.forEach(StreamFollower::stop);
    for (Thread t : followerThreads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    senders.values().forEach(DestinationSender::close);
    http.shutdownNow();
    log.info("relayer stopped: {}", snapshot().summary());
  }

  /**
   * The client of the guardians' attestation streams: HTTPS URLs are checked against the settings'
   * trusted certificates when it names any, else against the JDK's certificate authorities.
   */
  static HttpClient streamClient(RelayerSettings settings) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.rpcTimeout());
    if (!settings.trustedCertificates().isEmpty())
      b.sslContext(PinnedCertificates.load(settings.trustedCertificates()).context());
    return b.build();
  }
}
