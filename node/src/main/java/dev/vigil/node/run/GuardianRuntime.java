package dev.vigil.node.run;

import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusSettings;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.ObservationSource;
import dev.vigil.node.admin.AdminServer;
import dev.vigil.node.config.ChainSettings;
import dev.vigil.node.config.ClusterSettings;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.governance.CommitteeState;
import dev.vigil.node.governance.GovernanceInjection;
import dev.vigil.node.governance.RotationWatch;
import dev.vigil.node.http.AttestationHub;
import dev.vigil.node.http.ConsensusStatus;
import dev.vigil.node.http.HttpApi;
import dev.vigil.node.http.HttpApiSettings;
import dev.vigil.node.http.NodeStatus;
import dev.vigil.node.http.Readiness;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.node.observer.AgreementReader;
import dev.vigil.node.observer.ChainHealth;
import dev.vigil.node.observer.ChainObserver;
import dev.vigil.node.observer.ChainReader;
import dev.vigil.node.observer.ChainSource;
import dev.vigil.node.observer.ObserverCore;
import dev.vigil.node.observer.StoredCursors;
import dev.vigil.node.transport.GuardianTls;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import dev.vigil.signing.keystore.KeyFileSigner;
import dev.vigil.storage.VigilDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running guardian: its database, key, Pekko cluster node, consensus actor, one observer per
 * chain, and HTTP API, wired from a {@link NodeSettings}. {@code vigil run} starts one and waits.
 */
public final class GuardianRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GuardianRuntime.class);
  public static final String VERSION = "0.1.0";

  /**
   * How long an observer waits for consensus to hold a batch durably before it reads the range
   * again.
   */
  static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(60);

  private final NodeSettings settings;
  private final VigilDatabase db;
  private final ActorSystem<Void> system;
  private final HttpApi api;
  private final AdminServer admin;

  /** The admin socket, in the data dir: {@code vigil admin} finds it there. */
  public static final String ADMIN_SOCKET = "admin.sock";

  private final Map<Integer, ChainHealth> health;

  /**
   * Completed when this guardian's cluster turned out to be an island and the node should start
   * again.
   */
  private final CompletableFuture<Void> restart;

  /**
   * Set when a rotation of this guardian's committee was attested: it starts again on the new one.
   */
  private final AtomicReference<RotationWatch.Rotated> rotated;

  /** How long after a rotation's attestation the node starts again on the new committee. */
  static final Duration ROTATION_GRACE = Duration.ofSeconds(2);

  /** How often the island watch looks, and how many looks in a row must find an island. */
  static final Duration ISLAND_LOOK_EVERY = Duration.ofSeconds(5);

  static final int ISLAND_STRIKES = 6;

  private GuardianRuntime(
      NodeSettings settings,
      VigilDatabase db,
      ActorSystem<Void> system,
      HttpApi api,
      AdminServer admin,
      Map<Integer, ChainHealth> health,
      CompletableFuture<Void> restart,
      AtomicReference<RotationWatch.Rotated> rotated) {
    this.rotated = rotated;
    this.settings = settings;
    this.db = db;
    this.system = system;
    this.api = api;
    this.admin = admin;
    this.health = health;
    this.restart = restart;
  }

  /** Starts a guardian; fails with a message naming what is wrong (key, data dir, port...). */
  public static GuardianRuntime start(NodeSettings s, Map<String, String> env) {
    return start(s, env, false);
  }

  /**
   * How long the first seed asks the other seeds before it forms a cluster alone when it starts
   * again after a rotation: every guardian of the committee starts again then, so there is no
   * running cluster to find, and the usual wait (which keeps a restarted first seed from forming an
   * island) would only hold up the new committee.
   */
  static final String FIRST_SEED_TIMEOUT_AFTER_ROTATION = "4s";

  /**
   * Starts a guardian; {@code afterRotation} when it starts again because its committee rotated.
   */
  public static GuardianRuntime start(
      NodeSettings s, Map<String, String> env, boolean afterRotation) {
    com.typesafe.config.Config systemConfig = s.actorSystemConfig();
    if (afterRotation && s.cluster().isFirstSeed())
      systemConfig =
          com.typesafe.config.ConfigFactory.parseString(
                  "pekko.cluster.seed-node-timeout = " + FIRST_SEED_TIMEOUT_AFTER_ROTATION)
              .withFallback(systemConfig);
    s.warnings().forEach(w -> log.warn("config: {}", w));
    Secp256k1 backend = Secp256k1Backends.preferred();
    Signer signer;
    try {
      char[] password = s.key().password().read(env);
      signer = KeyFileSigner.load(s.key().file(), password, backend);
      java.util.Arrays.fill(password, '\0');
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot load the guardian key " + s.key().file() + ": " + e.getMessage(), e);
    }
    VigilDatabase db = VigilDatabase.open(s.dataDir());
    try {
      CommitteeHistory history =
          CommitteeState.load(
              s.committee().committee(),
              db,
              new GovernanceRules(s.governance().chain(), s.governance().emitter()),
              System.currentTimeMillis());
      Committee committee = history.current();
      if (committee.index() != s.committee().committee().index())
        log.info(
            "serving committee {} ({} members), installed by rotation since the configured committee {}",
            committee.index(),
            committee.size(),
            s.committee().committee().index());
      OptionalInt self = committee.indexOf(signer.address());
      if (self.isEmpty()) {
        if (committee.index() != s.committee().committee().index())
          throw new NotAMemberException(
              "the key "
                  + s.key().file()
                  + " belongs to "
                  + signer.address()
                  + ", which was removed from the committee by the rotation to committee "
                  + committee.index()
                  + " (kept in "
                  + s.dataDir()
                  + "): this guardian no longer signs. Its data dir keeps what it attested");
        throw new IllegalStateException(
            "the key "
                + s.key().file()
                + " belongs to "
                + signer.address()
                + ", which is not a member of committee "
                + committee.index()
                + " (vigil.node.committee.members)");
      }
      return start(s, systemConfig, db, signer, self.getAsInt(), history, backend);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** This guardian's key is not in the committee it would serve: it must not run. */
  public static final class NotAMemberException extends IllegalStateException {
    NotAMemberException(String message) {
      super(message);
    }
  }

  private static GuardianRuntime start(
      NodeSettings s,
      com.typesafe.config.Config systemConfig,
      VigilDatabase db,
      Signer signer,
      int selfIndex,
      CommitteeHistory history,
      Secp256k1 backend) {
    Committee committee = history.current();
    GovernanceRules governance =
        new GovernanceRules(s.governance().chain(), s.governance().emitter());
    Map<Integer, ChainHealth> health = new ConcurrentHashMap<>();
    Map<Integer, ActorRef<ChainObserver.Command>> observers = new ConcurrentHashMap<>();
    Map<Integer, ChainSource> readers = new ConcurrentHashMap<>();
    Map<Integer, ObserverCore> cores = new ConcurrentHashMap<>();
    AtomicReference<ActorRef<ConsensusActor.Command>> consensusRef = new AtomicReference<>();
    AttestationHub hub = new AttestationHub();
    NodeMetrics metrics = new NodeMetrics();
    QuorumLatency latency = new QuorumLatency(metrics, 100_000);

    // ObservationRequests from peers go to the chain's observer, which re-reads the transaction.
    AtomicReference<ActorSystem<Void>> systemRef = new AtomicReference<>();
    ObservationSource source =
        new ObservationSource() {
          @Override
          public CompletionStage<List<Observation>> reobserve(int chain, Bytes32 txHash) {
            ActorRef<ChainObserver.Command> o = observers.get(chain);
            if (o == null) return CompletableFuture.completedFuture(List.of());
            return AskPattern.ask(
                o,
                (ActorRef<List<Observation>> r) -> new ChainObserver.Reobserve(txHash, r),
                Duration.ofSeconds(30),
                systemRef.get().scheduler());
          }

          @Override
          public Map<Integer, Long> heights() {
            Map<Integer, Long> h = new java.util.TreeMap<>();
            health.forEach((chain, ch) -> h.put(chain, ch.snapshot().processedFinalized()));
            return h;
          }
        };

    ConsensusSettings consensusSettings = ConsensusSettings.fromConfig(systemConfig);
    ConsensusActor.Guardian guardian =
        new ConsensusActor.Guardian(
            s.name(), VERSION, committee, selfIndex, signer, db, backend, source, history);

    Behavior<Void> root =
        Behaviors.setup(
            ctx -> {
              ActorRef<ConsensusActor.Command> consensus =
                  ctx.spawn(ConsensusActor.create(consensusSettings, guardian), "consensus");
              consensusRef.set(consensus);
              ActorRef<Attestation> hubActor = ctx.spawn(hub.behavior(), "attestation-hub");
              consensus.tell(new ConsensusActor.Subscribe(hubActor));
              for (ChainSettings c : s.chains()) {
                ChainHealth h = new ChainHealth(c.id(), c.name());
                health.put(c.id(), h);
                List<String> urls = c.rpcUrls().stream().map(java.net.URI::toString).toList();
                ChainSource reader =
                    c.rpcAgreement() >= 2
                        ? new AgreementReader(
                            c.id(),
                            urls.stream()
                                .map(
                                    u ->
                                        new ChainReader(
                                            c.id(), u, c.coreAddress().toHex(), c.rpcTimeout()))
                                .toList(),
                            c.rpcAgreement())
                        : new ChainReader(
                            c.id(),
                            urls,
                            c.coreAddress().toHex(),
                            c.rpcTimeout(),
                            ChainReader.DEFAULT_BACK_TO_PREFERRED);
                readers.put(c.id(), reader);
                ObserverCore core =
                    new ObserverCore(
                        reader,
                        c.finality(),
                        new StoredCursors(db.cursors()),
                        c.startBlock(),
                        c.maxBlockRange(),
                        c.maxPayloadBytes());
                cores.put(c.id(), core);
                ActorRef<ChainObserver.Command> o =
                    ctx.spawn(
                        ChainObserver.create(
                            core,
                            obs -> {
                              // The cursor moves past these only once consensus holds each of them
                              // durably.
                              List<CompletableFuture<Void>> held = new ArrayList<>(obs.size());
                              for (Observation ob : obs) {
                                if (governance.isGovernance(ob.body())) {
                                  // Only an operator's injection makes a guardian sign governance.
                                  log.warn(
                                      "chain {} published {} from the governance emitter: not signed (governance actions are injected by operators: vigil governance inject)",
                                      c.name(),
                                      ob.messageId());
                                  continue;
                                }
                                metrics.observation(ob.chain());
                                latency.observed(ob.digest());
                                CompletableFuture<Void> f = new CompletableFuture<>();
                                held.add(f);
                                consensus.tell(new ConsensusActor.Observe(ob, f));
                              }
                              return handedOver(held, c.id());
                            },
                            new ChainObserver.Settings(c.pollInterval(), c.maxBackoff()),
                            h),
                        "observer-" + c.name());
                observers.put(c.id(), o);
              }
              return Behaviors.empty();
            });

    ActorSystemSetup setup = ActorSystemSetup.create(BootstrapSetup.create(systemConfig));
    if (s.cluster().tls().isPresent()) {
      ClusterSettings.Tls files = s.cluster().tls().get();
      Set<Address> members = Set.copyOf(committee.members());
      setup =
          setup.and(
              GuardianTls.create(
                      TlsIdentity.load(files.keyFile(), files.certFile()),
                      () -> members,
                      Secp256k1Backends.preferred(),
                      Clock.systemUTC())
                  .setup());
      log.info(
          "cluster transport: mutual TLS (TLS 1.3); only the {} members of committee {} can connect",
          members.size(),
          committee.index());
    } else {
      log.warn(
          "cluster transport: plain TCP without authentication. Anyone who reaches {}:{} can join the cluster and "
              + "disrupt it; set vigil.node.cluster.tls.key-file and cert-file (vigil keygen writes them) on every guardian",
          s.cluster().host(),
          s.cluster().port());
    }
    ActorSystem<Void> system = ActorSystem.create(root, s.cluster().systemName(), setup);
    systemRef.set(system);
    try {
      hub.subscribe(latency::attested);
      ActorRef<ConsensusActor.Command> consensus = awaitConsensus(consensusRef);
      MetricsBridge.start(
          system,
          consensus,
          metrics,
          health,
          selfIndex,
          committee.size(),
          committee.quorum(),
          Duration.ofSeconds(2));
      DiskWatch.start(system, db, metrics, DiskWatch.PERIOD);
      ConsensusStatus status =
          new ConsensusStatus(
              system,
              consensus,
              s.name(),
              VERSION,
              committee,
              selfIndex,
              () -> chains(s, health),
              Duration.ofSeconds(5),
              Duration.ofSeconds(15),
              Duration.ofSeconds(1),
              Clock.systemUTC());
      Readiness.Builder readiness =
          Readiness.builder()
              .check("database", Readiness.databaseOpen(db))
              .check("disk", Readiness.databaseWritable(db))
              .check("cluster", Readiness.clusterMemberUp(system));
      for (ChainSettings c : s.chains()) {
        long maxAge = Math.max(30_000, c.pollInterval().toMillis() * 5);
        readiness.check(
            "rpc:" + c.name(),
            () -> {
              ChainHealth h = health.get(c.id());
              ChainHealth.Snapshot snap = h.snapshot();
              return h.ready(System.currentTimeMillis(), maxAge)
                  ? Readiness.Result.ready(
                      "head " + snap.head() + ", finalized " + snap.finalized())
                  : Readiness.Result.notReady(
                      snap.lastError() != null ? snap.lastError() : "no successful poll yet");
            });
      }
      HttpApiSettings apiSettings =
          HttpApiSettings.defaults()
              .withHost(s.http().host())
              .withPort(s.http().port())
              .withMaxStreams(s.http().maxStreams())
              .withMaxStreamsPerClient(s.http().maxStreamsPerClient());
      Optional<javax.net.ssl.SSLContext> https =
          s.http().tls().map(t -> TlsIdentity.load(t.keyFile(), t.certFile()).serverContext());
      HttpApi api =
          HttpApi.start(
                  system,
                  apiSettings,
                  new HttpApi.Dependencies(
                      db.attestations(),
                      db.evidence(),
                      () -> committee,
                      status,
                      hub,
                      metrics,
                      readiness.build()),
                  https)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      log.info(
          "guardian {} (member {} of committee {}, {}) up: cluster {}:{}, API {}, chains {}",
          s.name(),
          selfIndex,
          committee.index(),
          signer.address(),
          s.cluster().host(),
          s.cluster().port(),
          api.uri(),
          s.chains().stream().map(ChainSettings::name).toList());
      CompletableFuture<Void> restart = new CompletableFuture<>();
      AtomicReference<RotationWatch.Rotated> rotated = new AtomicReference<>();
      RotationWatch watch =
          new RotationWatch(
              governance,
              committee,
              signer.address(),
              db,
              System::currentTimeMillis,
              r -> {
                rotated.set(r);
                // A moment for this guardian's last broadcasts and streams to go out first.
                system
                    .scheduler()
                    .scheduleOnce(
                        ROTATION_GRACE, () -> restart.complete(null), system.executionContext());
              });
      hub.subscribe(watch::attested);
      IslandWatch.start(
          system,
          s.cluster(),
          committee.quorum(),
          ISLAND_LOOK_EVERY,
          ISLAND_STRIKES,
          () -> restart.complete(null));
      AdminServer admin =
          AdminServer.start(
              s.dataDir().resolve(ADMIN_SOCKET),
              new AdminServer.Dependencies(
                  system,
                  consensus,
                  Map.copyOf(observers),
                  health,
                  endpoints(s),
                  chain -> readers.containsKey(chain) ? readers.get(chain).endpoint() : null,
                  db,
                  committee,
                  new GovernanceInjection(governance, committee, consensus, db)));
      return new GuardianRuntime(s, db, system, api, admin, health, restart, rotated);
    } catch (Exception e) {
      system.terminate();
      awaitTermination(system);
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      throw new IllegalStateException(
          "guardian " + s.name() + " failed to start: " + cause.getMessage(), cause);
    }
  }

  private static ActorRef<ConsensusActor.Command> awaitConsensus(
      AtomicReference<ActorRef<ConsensusActor.Command>> ref) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ref.get() == null) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("the consensus actor did not start in 30 s");
      Thread.sleep(10);
    }
    return ref.get();
  }

  /** Each chain's RPC endpoints as an operator may see them: scheme, host and port, no path. */
  private static Map<Integer, List<String>> endpoints(NodeSettings s) {
    Map<Integer, List<String>> out = new java.util.TreeMap<>();
    for (ChainSettings c : s.chains()) {
      out.put(
          c.id(),
          c.rpcUrls().stream()
              .map(
                  u ->
                      u.getScheme()
                          + "://"
                          + u.getHost()
                          + (u.getPort() > 0 ? ":" + u.getPort() : ""))
              .toList());
    }
    return out;
  }

  private static List<NodeStatus.Chain> chains(NodeSettings s, Map<Integer, ChainHealth> health) {
    List<NodeStatus.Chain> out = new ArrayList<>();
    for (ChainSettings c : s.chains()) {
      ChainHealth h = health.get(c.id());
      ChainHealth.Snapshot snap = h == null ? null : h.snapshot();
      out.add(
          snap == null
              ? new NodeStatus.Chain(c.id(), c.name(), -1)
              : new NodeStatus.Chain(
                  c.id(),
                  c.name(),
                  Math.max(-1, snap.processedFinalized()),
                  snap.head(),
                  snap.safe(),
                  snap.finalized(),
                  snap.rpcErrors(),
                  snap.lastError()));
    }
    return out;
  }

  public NodeSettings settings() {
    return settings;
  }

  public HttpApi api() {
    return api;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Map<Integer, ChainHealth> health() {
    return Map.copyOf(health);
  }

  /** Blocks until the actor system terminates (Ctrl-C or SIGTERM runs {@link #close()}). */
  public void awaitTermination() {
    awaitTermination(system);
  }

  /** Why {@link #awaitStop()} returned. */
  public enum Stop {
    /** The actor system ended for another reason: closed by the operator, or a fatal error. */
    TERMINATED,
    /**
     * This guardian's cluster is an island apart from the committee's (see {@link IslandWatch}).
     */
    ISLAND,
    /** Its cluster node was downed or removed by the cluster (any member can mark another Down). */
    REMOVED,
    /** A rotation of its committee was attested and it is a member of the new one: start again. */
    ROTATED,
    /** A rotation of its committee was attested and it is not in the new one: it stops signing. */
    RETIRED
  }

  /**
   * Blocks until the actor system terminates or the guardian should start again (an island). The
   * caller closes this runtime and, for {@link Stop#ISLAND} and {@link Stop#REMOVED}, starts a new
   * one on the same settings: its new cluster node (a new incarnation) joins the seeds.
   */
  public Stop awaitStop() {
    try {
      CompletableFuture.anyOf(system.getWhenTerminated().toCompletableFuture(), restart).get();
    } catch (Exception e) {
      Thread.currentThread().interrupt();
      return Stop.TERMINATED;
    }
    if (restart.isDone() && !system.getWhenTerminated().toCompletableFuture().isDone()) {
      RotationWatch.Rotated r = rotated.get();
      if (r != null) return r.stillMember() ? Stop.ROTATED : Stop.RETIRED;
      return Stop.ISLAND;
    }
    return removedFromCluster() ? Stop.REMOVED : Stop.TERMINATED;
  }

  /**
   * Whether the actor system was shut down because the cluster removed this node (Down, or a Leave
   * it did not ask for).
   */
  private boolean removedFromCluster() {
    var reason = CoordinatedShutdown.get(system).getShutdownReason();
    return reason.isPresent()
        && (reason.get() == CoordinatedShutdown.clusterDowningReason()
            || reason.get() == CoordinatedShutdown.clusterLeavingReason());
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    log.info("guardian {} stopping", settings.name());
    admin.close();
    try {
      api.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("HTTP API did not stop cleanly: {}", e.toString());
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system did not terminate in 30 s: {}", e.toString());
    }
    db.close();
  }

  /**
   * All of a batch held durably by consensus, or a failure that names why (the observer retries the
   * range).
   */
  private static CompletableFuture<Void> handedOver(List<CompletableFuture<Void>> held, int chain) {
    return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new))
        .orTimeout(HAND_OVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e -> {
              Throwable cause =
                  e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                      ? e.getCause()
                      : e;
              String why =
                  cause instanceof java.util.concurrent.TimeoutException
                      ? "consensus did not hold "
                          + held.size()
                          + " observations of chain "
                          + chain
                          + " durably within "
                          + HAND_OVER_TIMEOUT.toSeconds()
                          + "s"
                      : "consensus could not hold observations of chain "
                          + chain
                          + " durably: "
                          + cause;
              return CompletableFuture.failedFuture(new IllegalStateException(why, cause));
            });
  }
}
