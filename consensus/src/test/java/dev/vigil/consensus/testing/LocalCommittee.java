package dev.vigil.consensus.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Signer;
import dev.vigil.storage.VigilDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A committee of guardians in one JVM: one Pekko cluster node per member on 127.0.0.1 with free
 * ports, each with its own RocksDB data dir and its own in-memory "chain". Members can be stopped
 * (without leaving the cluster, like a crash) and restarted on the same port and data dir. For
 * integration tests and the benchmark.
 */
public final class LocalCommittee implements AutoCloseable {
  public static final long COMMITTEE_INDEX = 1;
  private static final String HOST = "127.0.0.1";

  /**
   * Lowest port picked below the ephemeral range: above the well-known and most services' ports.
   */
  private static final int NON_EPHEMERAL_LOW = 20000;

  private final int n;
  private final Path baseDir;
  private final Config overrides;
  private final Secp256k1 backend;
  private final List<Signer> signers = new ArrayList<>();
  private final Committee committee;
  private final List<Integer> ports = new ArrayList<>();

  /**
   * Each member's port stays bound here until it first starts (or someone else takes it over, see
   * {@link #releasePort}), so that no other test's free-port pick gets it meanwhile. The ports are
   * below the kernel's ephemeral range: members that start earlier connect to the seeds again and
   * again, and each attempt takes an ephemeral port, which must not be one a later member binds.
   */
  private final ServerSocket[] reserved;

  private final List<InMemoryObservationSource> sources = new ArrayList<>();
  private final GuardianNode[] nodes;
  private final VigilDatabase[] dbs;

  private LocalCommittee(int n, Path baseDir, Config overrides, Secp256k1 backend, long seed) {
    this.n = n;
    this.baseDir = baseDir;
    this.overrides =
        overrides.withFallback(
            ConfigFactory.parseString(
                """
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        # a stopped member vanishes like a crashed process: it does not leave the cluster first
        pekko.coordinated-shutdown.run-by-actor-system-terminate = off
        pekko.coordinated-shutdown.exit-jvm = off
        pekko.cluster.seed-node-timeout = 2s
        pekko.cluster.retry-unsuccessful-join-after = 2s
        pekko.remote.artery.advanced.give-up-system-message-after = 1h
        """));
    this.backend = backend;
    for (int i = 0; i < n; i++) {
      byte[] k =
          Keccak256.hash(
              ("vigil-local-committee-" + seed + "-" + i).getBytes(StandardCharsets.UTF_8));
      signers.add(new LocalKeySigner(PrivateKey.fromBytes(k), backend));
      sources.add(new InMemoryObservationSource());
    }
    this.committee = new Committee(COMMITTEE_INDEX, signers.stream().map(Signer::address).toList());
    this.nodes = new GuardianNode[n];
    this.dbs = new VigilDatabase[n];
    this.reserved = new ServerSocket[n];
    for (int i = 0; i < n; i++) {
      reserved[i] = reservePort();
      ports.add(reserved[i].getLocalPort());
    }
  }

  /** Creates the committee (keys from the seed) without starting it. */
  public static LocalCommittee create(
      int n, Path baseDir, Config overrides, Secp256k1 backend, long seed) {
    return new LocalCommittee(n, baseDir, overrides, backend, seed);
  }

  public Committee committee() {
    return committee;
  }

  public int size() {
    return n;
  }

  public int port(int i) {
    return ports.get(i);
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Member i's signer (for tests that play a Byzantine member with its real key). */
  public Signer signer(int i) {
    return signers.get(i);
  }

  public void startAll() {
    for (int i = 0; i < n; i++) start(i);
  }

  /** Starts member i (again) on its port and data dir. */
  public synchronized void start(int i) {
    if (nodes[i] != null) throw new IllegalStateException("member " + i + " is running");
    try {
      Path dir = baseDir.resolve("guardian-" + i);
      Files.createDirectories(dir);
      dbs[i] = VigilDatabase.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var guardian =
        new ConsensusActor.Guardian(
            "guardian-" + i, "test", committee, i, signers.get(i), dbs[i], backend, sources.get(i));
    release(i);
    nodes[i] = GuardianNode.start(HOST, ports.get(i), ports, overrides, guardian);
  }

  /** Stops member i like a crash (no cluster leave) and closes its database. */
  public synchronized void stop(int i) {
    if (nodes[i] == null) return;
    nodes[i].close();
    nodes[i] = null;
    dbs[i].close();
    dbs[i] = null;
  }

  public boolean isRunning(int i) {
    return nodes[i] != null;
  }

  /** Hands an observation to member i, and makes it re-readable from i's chain. */
  public void observe(int i, Observation o) {
    sources.get(i).add(o);
    nodes[i].system().tell(new ConsensusActor.Observe(o));
  }

  /** Makes an observation re-readable from member i's chain without telling its consensus. */
  public void addToChain(int i, Observation o) {
    sources.get(i).add(o);
  }

  public ConsensusStats stats(int i) {
    var system = nodes[i].system();
    CompletionStage<ConsensusStats> s =
        AskPattern.ask(
            system, ConsensusActor.GetStats::new, Duration.ofSeconds(30), system.scheduler());
    return s.toCompletableFuture().join();
  }

  public GuardianNode node(int i) {
    return nodes[i];
  }

  public VigilDatabase db(int i) {
    return dbs[i];
  }

  /** The attestation member i has stored for a message, if any (and if it decodes). */
  public Optional<Attestation> storedAttestation(int i, MessageId id) {
    return dbs[i]
        .attestations()
        .get(id)
        .flatMap(
            s ->
                AttestationCodec.decode(s.bytes()) instanceof DecodeResult.Ok<Attestation> ok
                    ? Optional.of(ok.value())
                    : Optional.empty());
  }

  /** Waits until every running member sees every other running member through the Receptionist. */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int running = 0;
    for (int i = 0; i < n; i++) if (nodes[i] != null) running++;
    while (true) {
      boolean all = true;
      for (int i = 0; i < n && all; i++)
        if (nodes[i] != null && stats(i).peers() < running - 1) all = false;
      if (all) return;
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("members did not see each other within " + timeout);
      Thread.sleep(200);
    }
  }

  /**
   * Frees member i's port for a node that plays that member without being started here (e.g. a
   * {@link RogueNode}), and returns it. Member i must not be running.
   */
  public synchronized int releasePort(int i) {
    if (nodes[i] != null)
      throw new IllegalStateException("member " + i + " is running on its port");
    release(i);
    return ports.get(i);
  }

  private void release(int i) {
    if (reserved[i] == null) return;
    try {
      reserved[i].close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reserved[i] = null;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (int i = 0; i < n; i++) {
      try {
        release(i);
        stop(i);
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  /** A free TCP port on 127.0.0.1 (for a node that joins the committee's cluster from outside). */
  static int freePort() {
    try (ServerSocket s = reservePort()) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A socket bound to a free port on 127.0.0.1, closing which frees the port for its user. Picked
   * at random below the ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), which outgoing
   * connections never take; where that range cannot be read or leaves no room, the kernel picks.
   */
  private static ServerSocket reservePort() {
    int ephemeralLow = ephemeralLow();
    var random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; ephemeralLow - NON_EPHEMERAL_LOW >= 1000 && attempt < 200; attempt++) {
      ServerSocket s = bound(random.nextInt(NON_EPHEMERAL_LOW, ephemeralLow));
      if (s != null) return s;
    }
    ServerSocket s = bound(0);
    if (s == null) throw new UncheckedIOException(new IOException("no free port on " + HOST));
    return s;
  }

  private static int ephemeralLow() {
    try {
      String[] range =
          Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException unknown) {
      return 0; // not Linux, or unreadable: let the kernel pick
    }
  }

  private static ServerSocket bound(int port) {
    ServerSocket s = null;
    try {
      s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(HOST, port), 1);
      return s;
    } catch (IOException inUse) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing bound
        }
      }
      return null;
    }
  }
}
