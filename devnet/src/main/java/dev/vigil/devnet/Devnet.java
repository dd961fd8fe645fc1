package dev.vigil.devnet;

import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.relayer.Delivery;
import dev.vigil.relayer.Relayer;
import dev.vigil.relayer.RelayerListener;
import dev.vigil.relayer.RelayerSettings;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.MessageId;
import dev.vigil.testing.disk.DataDirSetup;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import dev.vigil.testing.net.FaultyRpcProxy;
import dev.vigil.testing.net.LinkProxy;
import dev.vigil.testing.process.NodeProcess;
import dev.vigil.testing.process.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A whole local network in one command: two anvil chains with VigilCore and a MessageReceiver on
 * each, a committee of guardian processes (separate JVMs, one Pekko cluster), a relayer, and
 * cross-chain traffic both ways, with progress printed as messages are published, attested and
 * delivered. Everything it starts is stopped by {@link #close()}.
 */
public final class Devnet implements AutoCloseable {
  /** Vigil chain ids and EVM chain ids of the two chains. */
  public static final int CHAIN_A = 1;
  public static final int CHAIN_B = 2;
  static final String[] NAMES = {"alpha", "beta"};

  private final DevnetOptions options;
  private final Ports ports = new Ports();
  private final List<LocalChain> chains = new ArrayList<>();
  private final List<MessageReceiverContract> receivers = new ArrayList<>();
  private final List<EvmClient> senders = new ArrayList<>();
  private final List<NodeProcess> guardians = new ArrayList<>();
  private final List<URI> apis = new ArrayList<>();
  private final List<List<FaultyRpcProxy>> proxies = new ArrayList<>(); // [guardian][chain], with rpcProxies only
  private LinkProxy[][] links = new LinkProxy[0][0]; // [from][to], with linkProxies only; null on the diagonal
  private final Map<MessageId, Long> publishedAt = new ConcurrentHashMap<>();
  private final Map<MessageId, long[]> deliveredAt = new ConcurrentHashMap<>(); // {attestedAtNanos, deliveredAtNanos}
  private final AtomicLong publishErrors = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Relayer relayer;
  private ExecutorService publishers;
  private Bytes32[] emitters;

  private DataDirSetup dataDirs = DataDirSetup.NONE;

  private Devnet(DevnetOptions options) {
    this.options = options;
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
    Devnet d = new Devnet(options);
    d.dataDirs = dataDirs;
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
    wipe(options.workDir());
    List<Address> committee = IntStream.range(0, options.nodes()).mapToObj(DevKeys::address).toList();
    int[] anvilPorts = {ports.pick(options.anvilPortA(), 0), ports.pick(options.anvilPortB(), 0)};
    for (int c = 0; c < 2; c++) {
      // 0.5 s blocks; safe = head - 1, finalized = head - 2
      Anvil.Options o = Anvil.Options.defaults(31337 + c).withPort(anvilPorts[c]).withBlockTime(Duration.ofMillis(500))
          .withSlotsInAnEpoch(1);
      chains.add(LocalChain.start(toolchain, o, c + 1, 0, committee));
      receivers.add(chains.get(c).deployReceiver());
      say("chain %s (id %d): %s, VigilCore %s, MessageReceiver %s", NAMES[c], c + 1, chains.get(c).rpcUrl(),
          chains.get(c).coreAddress(), receivers.get(c).address());
    }
    // traffic is sent from anvil account 1 on each chain; each receiver accepts the other chain's sender
    emitters = new Bytes32[2];
    for (int c = 0; c < 2; c++) {
      // one client per sending account: it owns the account's nonce sequence
      senders.add(chains.get(c).client(1));
      emitters[c] = Bytes32.leftPad(Address.fromHex(senders.get(c).address()));
    }
    receivers.get(1).registerEmitter(CHAIN_A, emitters[0]);
    receivers.get(0).registerEmitter(CHAIN_B, emitters[1]);

    startGuardians(committee);
    awaitReady(Duration.ofMinutes(3));

    List<RelayerSettings.Route> routes = List.of(
        new RelayerSettings.Route(CHAIN_A, emitters[0], destination(1)),
        new RelayerSettings.Route(CHAIN_B, emitters[1], destination(0)));
    relayer = new Relayer(RelayerSettings.of(apis, routes, Anvil.DEV_KEY_2), new RelayerListener() {
      @Override
      public void onDelivered(Delivery d) {
        long now = System.nanoTime();
        deliveredAt.putIfAbsent(d.messageId(), new long[] {now - d.latency().toNanos(), now});
      }
    }).start();
    say("relayer following %d guardians' attestation streams", apis.size());
  }

  private RelayerSettings.Destination destination(int c) {
    return new RelayerSettings.Destination(NAMES[c], URI.create(chains.get(c).rpcUrl()), chains.get(c).anvil().evmChainId(),
        receivers.get(c).address());
  }

  private void startGuardians(List<Address> committee) {
    Path keys = options.workDir().resolve("keys");
    Path passwordFile = options.workDir().resolve("password.txt");
    char[] password = "devnet".toCharArray();
    try {
      Files.createDirectories(keys);
      Files.writeString(passwordFile, "devnet\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to " + options.workDir() + ": " + e.getMessage(), e);
    }
    int[] clusterPorts = new int[options.nodes()];
    int[] httpPorts = new int[options.nodes()];
    for (int i = 0; i < options.nodes(); i++) {
      clusterPorts[i] = ports.pick(options.clusterBasePort(), i);
      httpPorts[i] = ports.pick(options.httpBasePort(), i);
    }
    String members = committee.stream().map(a -> "\"" + a.toChecksumHex() + "\"").collect(Collectors.joining(", "));
    // every guardian is a seed, so that a restarted first seed finds the running cluster through any of the others
    String seeds = IntStream.range(0, options.nodes()).mapToObj(i -> "\"" + clusterHost(i) + ":" + clusterPorts[i] + "\"")
        .collect(Collectors.joining(", "));
    if (options.linkProxies()) startLinks(clusterPorts);
    for (int i = 0; i < options.nodes(); i++) {
      if (options.rpcProxies()) proxies.add(List.of(FaultyRpcProxy.start(chains.get(0).rpcUrl()),
          FaultyRpcProxy.start(chains.get(1).rpcUrl())));
      Path keyFile = keys.resolve("guardian-" + i + ".json");
      Path conf = options.workDir().resolve("guardian-" + i + ".conf");
      try {
        DevKeys.writeKeyFile(i, keyFile, password);
        Files.writeString(conf, nodeFile(i, keyFile, passwordFile, members, seeds, clusterPorts[i], httpPorts[i]));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write guardian " + i + "'s files: " + e.getMessage(), e);
      }
      dataDirs.prepare(i, dataDir(i));
      List<String> jvm = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC"));
      if (options.linkProxies()) jvm.add("-Djdk.net.hosts.file=" + writeHostsFile(i).toAbsolutePath());
      NodeProcess p = new NodeProcess("guardian-" + i, List.of("run", "--config", conf.toString()),
          options.workDir().resolve("logs/guardian-" + i + ".log"), Map.of(), jvm);
      guardians.add(p.start());
      apis.add(URI.create("http://127.0.0.1:" + httpPorts[i]));
      say("guardian %d (%s): cluster %s:%d%s, API %s, log %s", i, committee.get(i), clusterHost(i), clusterPorts[i],
          options.linkProxies() ? " (listening on 127.0.0.1, peers connect through link proxies)" : "", apis.get(i), p.logFile());
    }
  }

  /** The host guardian {@code i} advertises: a name each peer resolves to its own link proxy, with linkProxies. */
  private String clusterHost(int i) {
    return options.linkProxies() ? "guardian-" + i : "127.0.0.1";
  }

  /** Guardian {@code from}'s proxy towards {@code to}: 127.0.(from+1).(to+1), on {@code to}'s cluster port. */
  private static InetSocketAddress linkAddress(int from, int to, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) (from + 1), (byte) (to + 1)}), port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void startLinks(int[] clusterPorts) {
    int n = options.nodes();
    links = new LinkProxy[n][n];
    for (int from = 0; from < n; from++) {
      for (int to = 0; to < n; to++) {
        if (from == to) continue;
        // the whole of 127.0.0.0/8 is loopback on Linux, so each link gets its own address on the peer's own port
        links[from][to] = LinkProxy.start(from + "->" + to, linkAddress(from, to, clusterPorts[to]),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), clusterPorts[to]));
      }
    }
    say("%d link proxies between %d guardians (127.0.X.Y, one per direction)", n * (n - 1), n);
  }

  /**
   * Guardian {@code i}'s own hosts file (the JDK reads it instead of /etc/hosts): every peer's name
   * maps to the proxy of the link from {@code i} to that peer, its own name to where it listens.
   */
  private Path writeHostsFile(int i) {
    StringBuilder b = new StringBuilder("# Written by `vigil devnet` for guardian " + i + ": peers through link proxies.\n");
    String self = "localhost guardian-" + i;
    try {
      self += " " + InetAddress.getLocalHost().getHostName(); // the JDK asks for it, e.g. for log context
    } catch (IOException e) {
      // without a resolvable host name there is nothing to add
    }
    b.append("127.0.0.1 ").append(self).append('\n');
    for (int to = 0; to < options.nodes(); to++) {
      if (to != i) b.append(links[i][to].address().getAddress().getHostAddress()).append(" guardian-").append(to).append('\n');
    }
    Path f = options.workDir().resolve("hosts/guardian-" + i);
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, b.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + f + ": " + e.getMessage(), e);
    }
    return f;
  }

  private String nodeFile(int i, Path keyFile, Path passwordFile, String members, String seeds, int clusterPort, int httpPort) {
    StringBuilder chainsConf = new StringBuilder();
    for (int c = 0; c < 2; c++) {
      chainsConf.append("    ").append(NAMES[c]).append(" {\n")
          .append("      id = ").append(c + 1).append("\n")
          .append("      rpc-urls = [\"").append(options.rpcProxies() ? proxies.get(i).get(c).url() : chains.get(c).rpcUrl())
          .append("\"]\n")
          .append("      core-address = \"").append(chains.get(c).coreAddress()).append("\"\n")
          // alpha uses anvil's finality tags; beta is run as a chain without them
          .append(c == 0 ? "      finality = tags\n" : "      finality { confirmations = 2 }\n")
          .append("      poll-interval = 250ms\n")
          .append("    }\n");
    }
    return "# Written by `vigil devnet` for this run only. LOCAL USE ONLY: public dev key " + i + ".\n"
        + "vigil.node {\n"
        + "  name = \"devnet-" + i + "\"\n"
        + "  data-dir = \"" + dataDir(i) + "\"\n"
        + "  key { file = \"" + keyFile.toAbsolutePath() + "\", password-file = \"" + passwordFile.toAbsolutePath() + "\" }\n"
        + "  committee { index = 0, members = [" + members + "] }\n"
        + "  governance { chain = 1, address = \"0x0000000000000000000000000000000000000000000000000000000000000004\" }\n"
        + "  chains {\n" + chainsConf + "  }\n"
        + "  cluster { host = \"" + clusterHost(i) + "\", port = " + clusterPort
        + (options.linkProxies() ? ", bind-host = \"127.0.0.1\"" : "") + ", seed-nodes = [" + seeds + "] }\n"
        + "  http { host = \"127.0.0.1\", port = " + httpPort + " }\n"
        + "}\n"
        // a local network recovers from a restarted guardian in seconds, not minutes
        + "vigil.consensus { retry-initial = 1s, retry-max = 5s }\n";
  }

  /** Guardian {@code i}'s data dir (absolute). */
  public Path dataDir(int i) {
    return options.workDir().resolve("data/guardian-" + i).toAbsolutePath();
  }

  /** Waits until every running guardian answers /readyz with 200. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < guardians.size(); i++) {
      if (!guardians.get(i).isAlive()) continue;
      while (!ready(i)) {
        if (!guardians.get(i).isAlive()) {
          throw new IllegalStateException("guardian " + i + " exited at start; see " + guardians.get(i).logFile()
              + ":\n" + tail(guardians.get(i).logFile(), 20));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("guardian " + i + " was not ready after " + timeout.toSeconds() + " s; see "
              + guardians.get(i).logFile() + ":\n" + tail(guardians.get(i).logFile(), 20));
        }
        sleep(Duration.ofMillis(250));
      }
    }
    say("all %d guardians ready", guardians.size());
  }

  private boolean ready(int i) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(apis.get(i).resolve("/readyz")).timeout(Duration.ofSeconds(3))
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Publishes {@code count} messages (or until {@code duration} passes, whichever is first),
   * alternating chains, at the configured rate, printing progress every {@code every}.
   */
  public void runTraffic(long count, Duration duration, Duration every) {
    if (publishers == null) publishers = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("publish-", 0).factory());
    long intervalNanos = (long) (1e9 / options.rate());
    long start = System.nanoTime();
    long nextPrint = start + every.toNanos();
    for (long n = 0; n < count; n++) {
      long due = start + n * intervalNanos;
      while (System.nanoTime() < due) {
        if (System.nanoTime() >= nextPrint) {
          printProgress();
          nextPrint += every.toNanos();
        }
        sleep(Duration.ofMillis(Math.min(50, Math.max(1, (due - System.nanoTime()) / 1_000_000))));
      }
      if (duration != null && System.nanoTime() - start > duration.toNanos()) break;
      int c = (int) (n % 2);
      long seq = n;
      publishers.submit(() -> publish(c, seq));
    }
  }

  private void publish(int c, long n) {
    byte[] payload = ("devnet message " + n + " from " + NAMES[c] + " to " + NAMES[1 - c]).getBytes(StandardCharsets.UTF_8);
    try {
      long t = System.nanoTime();
      EvmClient.Published p = senders.get(c).publishMessage(chains.get(c).coreAddress(), n, payload, 1);
      publishedAt.put(new MessageId(c + 1, emitters[c], p.sequence()), t);
    } catch (RuntimeException e) {
      publishErrors.incrementAndGet();
      options.out().println("publish on " + NAMES[c] + " failed: " + e.getMessage());
    }
  }

  /** Waits until every published message is delivered, printing progress; false on timeout. */
  public boolean awaitDelivered(Duration timeout, Duration every) {
    if (publishers != null) {
      publishers.shutdown();
      try {
        publishers.awaitTermination(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (delivered() >= publishedAt.size()) {
        printProgress();
        return true;
      }
      sleep(every);
      printProgress();
    }
    return false;
  }

  public long published() {
    return publishedAt.size();
  }

  public long delivered() {
    return publishedAt.keySet().stream().filter(deliveredAt::containsKey).count();
  }

  public List<MessageId> publishedIds() {
    return publishedAt.keySet().stream().sorted(Comparator.comparing(MessageId::toString)).toList();
  }

  public void printProgress() {
    long pub = publishedAt.size();
    long ab = publishedAt.keySet().stream().filter(m -> m.emitterChain() == CHAIN_A).count();
    List<Double> toAttest = new ArrayList<>();
    List<Double> toDeliver = new ArrayList<>();
    deliveredAt.forEach((id, t) -> {
      Long p = publishedAt.get(id);
      if (p != null) {
        toAttest.add((t[0] - p) / 1e9);
        toDeliver.add((t[1] - t[0]) / 1e9);
      }
    });
    say("published %d (alpha→beta %d, beta→alpha %d) | attested+delivered %d | publish→attest p50 %s p99 %s | attest→deliver p50 %s p99 %s%s",
        pub, ab, pub - ab, toAttest.size(), pct(toAttest, 50), pct(toAttest, 99), pct(toDeliver, 50), pct(toDeliver, 99),
        publishErrors.get() > 0 ? " | publish errors " + publishErrors.get() : "");
  }

  private static String pct(List<Double> xs, int p) {
    if (xs.isEmpty()) return "-";
    List<Double> s = xs.stream().sorted().toList();
    int idx = (int) Math.min(s.size() - 1, Math.ceil(p / 100.0 * s.size()) - 1);
    return String.format("%.2fs", s.get(Math.max(0, idx)));
  }

  /** The proxy of the link from guardian {@code from} to guardian {@code to}; needs linkProxies. */
  public LinkProxy link(int from, int to) {
    if (!options.linkProxies()) throw new IllegalStateException("this devnet was started without link proxies");
    if (from == to) throw new IllegalArgumentException("no link from guardian " + from + " to itself");
    return links[from][to];
  }

  /** Guardian {@code g}'s RPC proxy in front of chain index {@code c} (0 alpha, 1 beta); needs rpcProxies. */
  public FaultyRpcProxy rpcProxy(int g, int c) {
    if (!options.rpcProxies()) throw new IllegalStateException("this devnet was started without RPC proxies");
    return proxies.get(g).get(c);
  }

  /** Publish → first sight of the attestation by the relayer, for every delivered message. */
  public Map<MessageId, Duration> attestLatencies() {
    Map<MessageId, Duration> out = new java.util.HashMap<>();
    deliveredAt.forEach((id, t) -> {
      Long p = publishedAt.get(id);
      if (p != null) out.put(id, Duration.ofNanos(t[0] - p));
    });
    return out;
  }

  /** When each published message was published (System.nanoTime). */
  public Map<MessageId, Long> publishTimes() {
    return Map.copyOf(publishedAt);
  }

  public long publishErrors() {
    return publishErrors.get();
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
    return receivers.get(chainIndex);
  }

  public Relayer relayer() {
    return relayer;
  }

  public Bytes32 emitter(int chainIndex) {
    return emitters[chainIndex];
  }

  public void printUrls() {
    for (int i = 0; i < apis.size(); i++) say("guardian %d API: %s/v1/status  (stream: %s/v1/attestations/stream)", i, apis.get(i), apis.get(i));
    for (int c = 0; c < chains.size(); c++) say("chain %s RPC: %s", NAMES[c], chains.get(c).rpcUrl());
  }

  private void say(String fmt, Object... args) {
    long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
    options.out().printf("[devnet %4ds] %s%n", s, String.format(fmt, args));
    options.out().flush();
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void wipe(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (var walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the devnet work dir " + dir + ": " + e.getMessage(), e);
    }
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
      if (publishers != null) publishers.shutdownNow();
      if (relayer != null) relayer.close();
      for (NodeProcess g : guardians) g.stop(Duration.ofSeconds(10));
      for (List<FaultyRpcProxy> ps : proxies) ps.forEach(FaultyRpcProxy::close);
      for (LinkProxy[] row : links) {
        for (LinkProxy l : row) if (l != null) l.close();
      }
      for (LocalChain c : chains) c.close();
      http.close();
    } finally {
      dataDirs.close(); // after the guardians let go of their files (e.g. unmounts)
    }
  }
}
