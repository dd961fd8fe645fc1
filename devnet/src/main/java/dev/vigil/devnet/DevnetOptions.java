package dev.vigil.devnet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a devnet runs.
 *
 * @param nodes guardians in the committee (1..19)
 * @param rate messages published per second, split over both directions
 * @param duration how long traffic runs; null: until stopped (Ctrl-C)
 * @param workDir where keys, node files, data and logs go (wiped at start)
 * @param anvilPorts the two chains' ports, or 0 for free ports
 * @param clusterBasePort guardian i's cluster port is this + i (0: free ports)
 * @param httpBasePort guardian i's HTTP port is this + i (0: free ports)
 * @param out where progress goes
 * @param rpcProxies put a {@link dev.vigil.testing.net.FaultyRpcProxy} between each guardian and
 *     each chain, so that faults can be injected per guardian and chain (the chaos tool); false:
 *     guardians talk to anvil directly
 * @param linkProxies put a {@link dev.vigil.testing.net.LinkProxy} on every directed link between
 *     two guardians, so that the chaos tool can partition them; false: guardians connect to each
 *     other directly
 * @param tls mutual TLS between guardians (each gets a TLS key and a certificate bound to its dev
 *     key, as vigil keygen writes them); false: plain TCP
 * @param wan wide-area conditions on every link between guardians (needs link proxies); null: none
 * @param netns each guardian on a host of its own: a Linux network namespace with its own address
 *     on a bridge ({@link dev.vigil.testing.net.GuardianHosts}; needs root, implies link proxies)
 * @param rotate rotate the committee during the run: grow by one, replace one, shrink back ({@link
 *     Rotations})
 */
public record DevnetOptions(
    int nodes,
    double rate,
    Duration duration,
    Path workDir,
    int anvilPortA,
    int anvilPortB,
    int clusterBasePort,
    int httpBasePort,
    PrintStream out,
    boolean rpcProxies,
    boolean linkProxies,
    boolean tls,
    WideArea wan,
    boolean netns,
    boolean rotate) {
  /**
   * Wide-area conditions between guardians: each pair gets a one-way delay drawn from [min, max]
   * (the same both ways, seeded), and each link imitates a segment loss rate ({@link
   * dev.vigil.testing.net.LinkProxy.Shape}).
   */
  public record WideArea(Duration minDelay, Duration maxDelay, double loss, long seed) {
    /** 50 to 150 ms one way between guardians, 1% loss. */
    public static final WideArea DEFAULT =
        new WideArea(Duration.ofMillis(50), Duration.ofMillis(150), 0.01, 2026);

    public WideArea {
      if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0)
        throw new IllegalArgumentException(
            "wide-area delay must be 0 <= min <= max, got " + minDelay + " .. " + maxDelay);
      if (!(loss >= 0 && loss < 1))
        throw new IllegalArgumentException("wide-area loss must be in [0, 1), got " + loss);
    }

    @Override
    public String toString() {
      return minDelay.toMillis()
          + " to "
          + maxDelay.toMillis()
          + " ms one way, "
          + Math.round(loss * 1000) / 10.0
          + "% loss";
    }
  }

  public DevnetOptions {
    if (nodes < 1 || nodes > 19)
      throw new IllegalArgumentException("--nodes must be 1..19, got " + nodes);
    if (!(rate > 0) || rate > 100)
      throw new IllegalArgumentException(
          "--rate must be in (0, 100] messages per second, got " + rate);
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
    if (netns && nodes > dev.vigil.testing.net.GuardianHosts.MAX_HOSTS)
      throw new IllegalArgumentException(
          "--netns runs at most "
              + dev.vigil.testing.net.GuardianHosts.MAX_HOSTS
              + " guardians, got "
              + nodes);
    if (netns || wan != null) linkProxies = true; // both live in the link proxies
    if (rotate && (netns || linkProxies))
      throw new IllegalArgumentException(
          "--rotate runs on loopback only: not with --netns or --wan (guardians that join later have no host or links)");
    if (rotate && nodes + Rotations.EXTRA_GUARDIANS > 19)
      throw new IllegalArgumentException("--rotate adds 2 guardians: --nodes must be at most 17");
  }

  /** The layout of cluster-configs/devnet: anvil on 8545/8546, cluster 7101+, HTTP 7201+. */
  public static DevnetOptions defaults(Path workDir, PrintStream out) {
    return new DevnetOptions(
        4, 2, null, workDir, 8545, 8546, 7101, 7201, out, false, false, true, null, false, false);
  }

  /** Every port chosen free at start: for tests, and for running beside another devnet. */
  public DevnetOptions withFreePorts() {
    Copy c = new Copy(this);
    c.anvilPortA = c.anvilPortB = c.clusterBasePort = c.httpBasePort = 0;
    return c.build();
  }

  public DevnetOptions withNodes(int n) {
    Copy c = new Copy(this);
    c.nodes = n;
    return c.build();
  }

  public DevnetOptions withRate(double r) {
    Copy c = new Copy(this);
    c.rate = r;
    return c.build();
  }

  public DevnetOptions withDuration(Duration d) {
    Copy c = new Copy(this);
    c.duration = d;
    return c.build();
  }

  public DevnetOptions withRpcProxies(boolean on) {
    Copy c = new Copy(this);
    c.rpcProxies = on;
    return c.build();
  }

  public DevnetOptions withLinkProxies(boolean on) {
    Copy c = new Copy(this);
    c.linkProxies = on;
    return c.build();
  }

  public DevnetOptions withTls(boolean on) {
    Copy c = new Copy(this);
    c.tls = on;
    return c.build();
  }

  public DevnetOptions withOut(PrintStream o) {
    Copy c = new Copy(this);
    c.out = o;
    return c.build();
  }

  /** Wide-area conditions between guardians (null: none). */
  public DevnetOptions withWan(WideArea w) {
    Copy c = new Copy(this);
    c.wan = w;
    return c.build();
  }

  /** Each guardian in a network namespace of its own. */
  public DevnetOptions withNetns(boolean on) {
    Copy c = new Copy(this);
    c.netns = on;
    return c.build();
  }

  /** Rotate the committee during the run (grow, replace, shrink). */
  public DevnetOptions withRotate(boolean on) {
    Copy c = new Copy(this);
    c.rotate = on;
    return c.build();
  }

  /** The fields of an options value, to change some and build another. */
  private static final class Copy {
    int nodes, anvilPortA, anvilPortB, clusterBasePort, httpBasePort;
    double rate;
    Duration duration;
    Path workDir;
    PrintStream out;
    boolean rpcProxies, linkProxies, tls, netns, rotate;
    WideArea wan;

    Copy(DevnetOptions o) {
      nodes = o.nodes;
      rate = o.rate;
      duration = o.duration;
      workDir = o.workDir;
      anvilPortA = o.anvilPortA;
      anvilPortB = o.anvilPortB;
      clusterBasePort = o.clusterBasePort;
      httpBasePort = o.httpBasePort;
      out = o.out;
      rpcProxies = o.rpcProxies;
      linkProxies = o.linkProxies;
      tls = o.tls;
      wan = o.wan;
      netns = o.netns;
      rotate = o.rotate;
    }

    DevnetOptions build() {
      return new DevnetOptions(
          nodes,
          rate,
          duration,
          workDir,
          anvilPortA,
          anvilPortB,
          clusterBasePort,
          httpBasePort,
          out,
          rpcProxies,
          linkProxies,
          tls,
          wan,
          netns,
          rotate);
    }
  }
}
