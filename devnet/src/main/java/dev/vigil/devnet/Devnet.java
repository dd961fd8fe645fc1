package dev.vigil.devnet;

import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.relayer.Delivery;
import dev.vigil.relayer.Relayer;
import dev.vigil.relayer.RelayerListener;
import dev.vigil.relayer.RelayerSettings;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.testing.disk.DataDirSetup;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.net.FaultyRpcProxy;
import dev.vigil.testing.net.GuardianHosts;
import dev.vigil.testing.net.LinkProxy;
import dev.vigil.testing.process.NodeProcess;
import dev.vigil.testing.process.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * A whole local network in one command: two anvil chains with VigilCore and a MessageReceiver on
 * each, a committee of guardian processes (separate JVMs, one Pekko cluster), a relayer, and
 * cross-chain traffic both ways, with progress printed as messages are published, attested and
 * delivered. Everything it starts is stopped by {@link #close()}.
 *
 * <p>With free ports, every port it hands out (anvil, RPC proxies, guardians' cluster and HTTP
 * ports) comes from one {@link Ports}: below the ephemeral range, distinct, and held until its user
 * binds it.
 */
public final class Devnet implements AutoCloseable {
  /** Vigil chain ids and EVM chain ids of the two chains. */
  public static final int CHAIN_A = 1;

  public static final int CHAIN_B = 2;

  /** Progress lines, {@code [devnet 12s] ...}. */
  @FunctionalInterface
  interface Say {
    void say(String fmt, Object... args);
  }

  private final DevnetOptions options;
  private final Ports ports = new Ports();
  private final List<NodeProcess> guardians = new ArrayList<>();
  private final List<URI> apis = new ArrayList<>();
  private final List<List<FaultyRpcProxy>> proxies =
      new ArrayList<>(); // [guardian][chain], with rpcProxies only
  private final Latencies latencies = new Latencies();
  private final List<NodeProcess.Exit> unexpectedExits = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Readiness readiness = new Readiness(http);
  private final DataDirSetup dataDirs;
  private final Optional<SharedClasses> classData = SharedClasses.in(SharedClasses.defaultDir());
  private Chains chains;
  private Links links; // with linkProxies only
  private GuardianHosts hosts; // with netns only
  private final List<LinkProxy> rpcForwarders = new ArrayList<>(); // with netns only
  private Traffic traffic;
  private Relayer relayer;
  // what launching a guardian needs, kept for guardians that join later by rotation
  private GuardianFiles files;
  private int[] clusterPorts, httpPorts;
  private List<String> seeds;
  private final java.util.Set<Integer> retiring =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Devnet(DevnetOptions options, DataDirSetup dataDirs) {
    this.options = options;
    this.dataDirs = dataDirs;
  }

  /** Starts chains, contracts, guardians and the relayer; returns once every guardian is ready. */
  public static Devnet start(DevnetOptions options) {
    return start(options, DataDirSetup.NONE);
  }

  /**
   * Like {@link #start(DevnetOptions)}, with each guardian's data dir prepared by {@code dataDirs}
   * before the guardian starts; {@link #close()} closes it after the guardians stopped (also when
   * starting fails).
   */
  public static Devnet start(DevnetOptions options, DataDirSetup dataDirs) {
    Devnet d = new Devnet(options, dataDirs);
    try {
      d.startAll();
      return d;
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private void startAll() {
    say("preparing the EVM toolchain (first run installs it from npm and compiles the contracts)");
    EvmToolchain toolchain = EvmToolchain.locate();
    GuardianFiles files = GuardianFiles.create(options.workDir());
    List<Address> committee =
        IntStream.range(0, options.nodes()).mapToObj(DevKeys::address).toList();
    int[] anvilPorts = {ports.pick(options.anvilPortA(), 0), ports.pick(options.anvilPortB(), 0)};
    chains = Chains.start(toolchain, committee, c -> ports.release(anvilPorts[c]), this::say);
    traffic = new Traffic(chains, latencies, options.rate(), options.out(), this::printProgress);
    startGuardians(files, committee);
    awaitReady(Duration.ofMinutes(3));
    relayer =
        new Relayer(
                RelayerSettings.of(apis, chains.routes(), Anvil.DEV_KEY_2),
                new RelayerListener() {
                  @Override
                  public void onDelivered(Delivery d) {
                    latencies.delivered(d.messageId(), d.latency(), System.nanoTime());
                  }
                })
            .start();
    say("relayer following %d guardians' attestation streams", apis.size());
  }

  private void startGuardians(GuardianFiles files, List<Address> committee) {
    int n = options.nodes();
    // with rotations, two more guardians join later: their ports are picked now, and they are seeds
    int slots = n + (options.rotate() ? Rotations.EXTRA_GUARDIANS : 0);
    this.files = files;
    clusterPorts = new int[slots];
    httpPorts = new int[slots];
    for (int i = 0; i < slots; i++) {
      clusterPorts[i] = ports.pick(options.clusterBasePort(), i);
      httpPorts[i] = ports.pick(options.httpBasePort(), i);
    }
    // every guardian is a seed, so that a restarted first seed finds the running cluster through
    // any of the others
    seeds =
        IntStream.range(0, slots).mapToObj(i -> clusterHost(i) + ":" + clusterPorts[i]).toList();
    if (options.netns()) {
      hosts = GuardianHosts.create(n, options.wan() == null ? 0 : options.wan().seed());
      say(
          "each guardian on a host of its own: %s, guardian i at %s+i, in namespace %s..",
          hosts, hosts.host(0).getHostAddress(), hosts.namespace(0));
    }
    if (options.linkProxies()) {
      // each on an address of its own (127.0.X.Y, or 198.19.R.Z with hosts) and the peer's port
      links = Links.start(clusterPorts, hosts);
      say(
          "%d link proxies between %d guardians (%s, one per direction)",
          links.count(), n, hosts == null ? "127.0.X.Y" : "198.19." + "R.Z on the bridge");
    }
    if (options.wan() != null) {
      var wan = options.wan();
      java.time.Duration[][] delays =
          links.shape(wan.minDelay(), wan.maxDelay(), wan.loss(), wan.seed());
      StringBuilder pairs = new StringBuilder();
      for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
          pairs.append(String.format(" %d-%d:%dms", a, b, delays[a][b].toMillis()));
      say("wide-area links (%s), one-way delay per pair:%s", wan, pairs);
    }
    classData.ifPresent(
        c ->
            say(
                c.present()
                    ? "guardians start with the class-data archive in %s"
                    : "no class-data archive yet in %s: guardian 0 records one as it exits",
                SharedClasses.defaultDir()));
    for (int i = 0; i < n; i++) launch(i, 0, committee);
  }

  /**
   * Starts guardian {@code i} as a member of committee {@code committeeIndex} with {@code
   * committee}'s members (a guardian that joins by rotation is configured with the new committee).
   */
  synchronized void launch(int i, long committeeIndex, List<Address> committee) {
    if (i != guardians.size())
      throw new IllegalStateException(
          "guardian " + i + " cannot start before guardian " + guardians.size());
    if (options.rpcProxies()) {
      proxies.add(
          List.of(
              FaultyRpcProxy.start(chains.chain(0).rpcUrl(), ports.release(ports.reserve())),
              FaultyRpcProxy.start(chains.chain(1).rpcUrl(), ports.release(ports.reserve()))));
    }
    List<NodeFile.Chain> watched = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String rpc = options.rpcProxies() ? proxies.get(i).get(c).url() : chains.chain(c).rpcUrl();
      if (hosts != null) rpc = reachableFromHosts(rpc);
      // alpha uses anvil's finality tags; beta is run as a chain without them
      watched.add(
          new NodeFile.Chain(
              Chains.NAMES[c], c + 1, rpc, chains.chain(c).coreAddress(), c == 0 ? 0 : 2));
    }
    NodeFile.Cluster cluster =
        new NodeFile.Cluster(
            clusterHost(i),
            clusterPorts[i],
            hosts != null
                ? hosts.host(i).getHostAddress()
                : options.linkProxies() ? "127.0.0.1" : null,
            seeds,
            options.tls() ? files.writeTls(i) : null);
    Path conf =
        files.writeNodeFile(
            new NodeFile(
                i,
                dataDir(i),
                files.writeKey(i),
                files.passwordFile(),
                committee,
                watched,
                cluster,
                httpPorts[i],
                hosts != null ? hosts.host(i).getHostAddress() : "127.0.0.1",
                committeeIndex));
    dataDirs.prepare(i, dataDir(i));
    // a devnet's guardians share a developer's machine (and CI's two cores) at a few messages
    // per second: a small serial heap, and C1 only, so that seven JVMs' C2 compilations at start
    // do not take the cores from the guardians (a production guardian runs with the JVM's
    // defaults)
    List<String> jvm =
        new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    int g = i;
    classData.ifPresent(c -> jvm.addAll(c.jvmOptions(g)));
    if (options.linkProxies())
      jvm.add("-Djdk.net.hosts.file=" + files.writeHostsFile(i, links.hostsFile(i)));
    NodeProcess p =
        new NodeProcess(
            "guardian-" + i,
            List.of("run", "--config", conf.toString(), "--unsafe-allow-dev-keys"),
            files.logFile(i),
            Map.of(),
            jvm);
    if (hosts != null) p = p.withLauncher(hosts.launcher(i));
    int index = i;
    p.onUnexpectedExit(exit -> exited(index, exit));
    guardians.add(p);
    apis.add(
        URI.create(
            "http://"
                + (hosts != null ? hosts.host(i).getHostAddress() : "127.0.0.1")
                + ":"
                + httpPorts[i]));
    ports.release(clusterPorts[i]);
    ports.release(httpPorts[i]);
    p.start();
    say(
        "guardian %d (%s): cluster %s:%d%s%s, API %s, log %s",
        i,
        DevKeys.address(i),
        clusterHost(i),
        clusterPorts[i],
        options.tls() ? " (mutual TLS)" : " (plain TCP)",
        hosts != null
            ? " (listening on its host, peers connect through link proxies)"
            : options.linkProxies()
                ? " (listening on 127.0.0.1, peers connect through link proxies)"
                : "",
        apis.get(i),
        p.logFile());
  }

  /**
   * An RPC URL on this machine's loopback as the guardians' hosts reach it: through a forwarder on
   * the bridge's address (the hosts have loopbacks of their own).
   */
  private String reachableFromHosts(String url) {
    URI u = URI.create(url);
    LinkProxy f =
        LinkProxy.start(
            "rpc-" + u.getPort(),
            new java.net.InetSocketAddress(hosts.gateway(), 0),
            new java.net.InetSocketAddress(u.getHost(), u.getPort()));
    rpcForwarders.add(f);
    return "http://" + hosts.gateway().getHostAddress() + ":" + f.address().getPort() + u.getPath();
  }

  /**
   * Observation to quorum at the guardians, from their {@code vigil_quorum_latency_seconds}
   * histograms summed: "p50 <= X ms, p99 <= Y ms over N" (bucket upper bounds), or why not.
   */
  public String quorumLatencies() {
    java.util.TreeMap<Double, Long> buckets = new java.util.TreeMap<>();
    for (int g = 0; g < apis.size(); g++) {
      if (!guardians.get(g).isAlive()) continue; // left the committee, or stopped
      URI api = apis.get(g);
      try {
        var r =
            http.send(
                java.net.http.HttpRequest.newBuilder(api.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        r.body()
            .filter(l -> l.startsWith("vigil_quorum_latency_seconds_bucket{"))
            .forEach(
                l -> {
                  int le = l.indexOf("le=\"") + 4;
                  String bound = l.substring(le, l.indexOf('"', le));
                  double b =
                      bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                  long count = (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                  buckets.merge(b, count, Long::sum);
                });
      } catch (java.io.IOException | RuntimeException e) {
        return "guardian at " + api + " did not serve its metrics: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    long total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    if (total == 0) return "no quorum measured yet";
    return String.format(
        "p50 <= %s, p99 <= %s over %d (observation to quorum at each guardian, histogram bounds)",
        bound(buckets, total * 0.50), bound(buckets, total * 0.99), total);
  }

  private static String bound(java.util.TreeMap<Double, Long> cumulative, double rank) {
    for (var e : cumulative.entrySet()) {
      if (e.getValue() >= rank)
        return e.getKey().isInfinite() ? "+Inf" : Math.round(e.getKey() * 1000) + " ms";
    }
    return "+Inf";
  }

  /** Chunks held on the guardians' links for an imitated retransmission (wide-area loss). */
  public long wideAreaStalls() {
    return links == null ? 0 : links.stalls();
  }

  private void exited(int i, NodeProcess.Exit exit) {
    if (retiring.contains(i) && exit.exitCode() == Rotations.EXIT_NOT_A_MEMBER) {
      say(
          "guardian %d left the committee and stopped by itself (exit code 3), as a removed member does",
          i);
      return;
    }
    synchronized (unexpectedExits) {
      unexpectedExits.add(exit);
    }
    say(
        "guardian %d exited by itself with exit code %d (not stopped by the devnet); last lines of %s:%n%s",
        i, exit.exitCode(), exit.logFile(), exit.logTail());
  }

  /**
   * The host guardian {@code i} advertises: a name each peer resolves to its own link proxy, with
   * linkProxies.
   */
  private String clusterHost(int i) {
    return options.linkProxies() ? Links.hostName(i) : "127.0.0.1";
  }

  private volatile Rotations rotations;
  private volatile Throwable rotationFailure;

  /**
   * Starts the rotation plan in the background ({@link Rotations}): the first rotation after {@code
   * pause}, then one after another with {@code pause} between. A failure is printed and kept.
   */
  public Thread startRotations(Duration pause) {
    if (!options.rotate())
      throw new IllegalStateException("this devnet was started without --rotate");
    rotations = new Rotations(this);
    return Thread.ofPlatform()
        .name("devnet-rotations")
        .daemon()
        .start(
            () -> {
              try {
                Thread.sleep(pause);
                rotations.run(options.nodes(), pause);
                say("rotations done: %s", rotations.switches().size() + " committees installed");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                rotationFailure = e;
                e.printStackTrace(options.out());
                say("ROTATION FAILED: %s", e.getMessage());
              }
            });
  }

  /**
   * Every rotation so far: its committee, when it was injected and when all its members served it.
   */
  public List<Rotations.Switch> rotationSwitches() {
    return rotations == null ? List.of() : rotations.switches();
  }

  /** Why the rotations stopped, if they failed. */
  public Optional<Throwable> rotationFailure() {
    return Optional.ofNullable(rotationFailure);
  }

  /** The committee index installed on chain {@code c}'s VigilCore now. */
  public long installedCommittee(int c) {
    return chains.chain(c).core().currentCommitteeIndex();
  }

  /** Guardian {@code i} will be removed by the next rotation: its exit with code 3 is expected. */
  void retiring(int i) {
    retiring.add(i);
  }

  /** Guardian {@code i}'s data dir (absolute). */
  public Path dataDir(int i) {
    return options.workDir().resolve("data/guardian-" + i).toAbsolutePath();
  }

  /**
   * Waits until every guardian answers /readyz with 200.
   *
   * @throws IllegalStateException naming a guardian that is not running (with its exit code and
   *     last log lines), or that was not ready within {@code timeout}
   */
  public void awaitReady(Duration timeout) {
    readiness.await(guardians, apis, timeout);
    say("all %d guardians ready", guardians.size());
  }

  /**
   * Guardian runs that ended without the devnet (or its user, through {@link #guardian}) stopping
   * them, in order.
   */
  public List<NodeProcess.Exit> unexpectedExits() {
    synchronized (unexpectedExits) {
      return List.copyOf(unexpectedExits);
    }
  }

  /**
   * Publishes {@code count} messages (or until {@code duration} passes, whichever is first; null:
   * no time bound), alternating chains, at the configured rate, printing progress every {@code
   * every}.
   */
  public void runTraffic(long count, Duration duration, Duration every) {
    runTraffic(count, duration, () -> false, every);
  }

  /**
   * Like {@link #runTraffic(long, Duration, Duration)}, also ending as soon as {@code stop} says
   * so.
   */
  public void runTraffic(long count, Duration duration, BooleanSupplier stop, Duration every) {
    traffic.run(count, duration == null ? Duration.ofNanos(Long.MAX_VALUE) : duration, stop, every);
  }

  /** Waits until every published message is delivered, printing progress; false on timeout. */
  public boolean awaitDelivered(Duration timeout, Duration every) {
    traffic.drain(Duration.ofMinutes(2));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (latencies.delivered() >= latencies.published()) {
        printProgress();
        return true;
      }
      sleep(every);
      printProgress();
    }
    return false;
  }

  public long published() {
    return latencies.published();
  }

  public long delivered() {
    return latencies.delivered();
  }

  public List<MessageId> publishedIds() {
    return latencies.publishedIds();
  }

  public void printProgress() {
    say("%s", latencies.progressLine());
  }

  /** The proxy of the link from guardian {@code from} to guardian {@code to}; needs linkProxies. */
  public LinkProxy link(int from, int to) {
    if (!options.linkProxies())
      throw new IllegalStateException("this devnet was started without link proxies");
    return links.link(from, to);
  }

  /**
   * Guardian {@code g}'s RPC proxy in front of chain index {@code c} (0 alpha, 1 beta); needs
   * rpcProxies.
   */
  public FaultyRpcProxy rpcProxy(int g, int c) {
    if (!options.rpcProxies())
      throw new IllegalStateException("this devnet was started without RPC proxies");
    return proxies.get(g).get(c);
  }

  /** Publish → first sight of the attestation by the relayer, for every delivered message. */
  public Map<MessageId, Duration> attestLatencies() {
    return latencies.attestLatencies();
  }

  /** When each published message was published (System.nanoTime). */
  public Map<MessageId, Long> publishTimes() {
    return latencies.publishTimes();
  }

  public long publishErrors() {
    return latencies.publishErrors();
  }

  public NodeProcess guardian(int i) {
    return guardians.get(i);
  }

  public int size() {
    return guardians.size();
  }

  public URI api(int i) {
    return apis.get(i);
  }

  public MessageReceiverContract receiver(int chainIndex) {
    return chains.receiver(chainIndex);
  }

  public Relayer relayer() {
    return relayer;
  }

  public Bytes32 emitter(int chainIndex) {
    return chains.emitter(chainIndex);
  }

  public void printUrls() {
    for (int i = 0; i < apis.size(); i++)
      say(
          "guardian %d API: %s/v1/status  (stream: %s/v1/attestations/stream)",
          i, apis.get(i), apis.get(i));
    for (int c = 0; c < chains.size(); c++)
      say("chain %s RPC: %s", Chains.NAMES[c], chains.chain(c).rpcUrl());
  }

  /** A progress line, {@code [devnet 12s] ...} (the rotations print theirs too). */
  void say(String fmt, Object... args) {
    long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
    options.out().printf("[devnet %4ds] %s%n", s, String.format(fmt, args));
    options.out().flush();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the relayer, the guardians and the chains; safe to call twice. */
  @Override
  public synchronized void close() {
    try {
      if (traffic != null) traffic.close();
      if (relayer != null) relayer.close();
      // guardian 0 may be writing the class-data archive as it exits: that takes a while on a busy
      // machine
      for (int i = 0; i < guardians.size(); i++)
        guardians.get(i).stop(Duration.ofSeconds(i == 0 ? 30 : 10));
      classData.flatMap(SharedClasses::keep).ifPresent(m -> say("%s", m));
      for (List<FaultyRpcProxy> ps : proxies) ps.forEach(FaultyRpcProxy::close);
      if (links != null) links.close();
      rpcForwarders.forEach(LinkProxy::close);
      if (hosts != null) hosts.close();
      if (chains != null) chains.close();
      ports.close();
      http.close();
    } finally {
      dataDirs.close(); // after the guardians let go of their files (e.g. unmounts)
    }
  }
}
