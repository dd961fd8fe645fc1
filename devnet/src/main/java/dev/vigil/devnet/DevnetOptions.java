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
    boolean tls) {
  public DevnetOptions {
    if (nodes < 1 || nodes > 19)
      throw new IllegalArgumentException("--nodes must be 1..19, got " + nodes);
    if (!(rate > 0) || rate > 100)
      throw new IllegalArgumentException(
          "--rate must be in (0, 100] messages per second, got " + rate);
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
  }

  /** The layout of cluster-configs/devnet: anvil on 8545/8546, cluster 7101+, HTTP 7201+. */
  public static DevnetOptions defaults(Path workDir, PrintStream out) {
    return new DevnetOptions(4, 2, null, workDir, 8545, 8546, 7101, 7201, out, false, false, true);
  }

  /** Every port chosen free at start: for tests, and for running beside another devnet. */
  public DevnetOptions withFreePorts() {
    return new DevnetOptions(
        nodes, rate, duration, workDir, 0, 0, 0, 0, out, rpcProxies, linkProxies, tls);
  }

  public DevnetOptions withNodes(int n) {
    return new DevnetOptions(
        n,
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
        tls);
  }

  public DevnetOptions withRate(double r) {
    return new DevnetOptions(
        nodes,
        r,
        duration,
        workDir,
        anvilPortA,
        anvilPortB,
        clusterBasePort,
        httpBasePort,
        out,
        rpcProxies,
        linkProxies,
        tls);
  }

  public DevnetOptions withDuration(Duration d) {
    return new DevnetOptions(
        nodes,
        rate,
        d,
        workDir,
        anvilPortA,
        anvilPortB,
        clusterBasePort,
        httpBasePort,
        out,
        rpcProxies,
        linkProxies,
        tls);
  }

  public DevnetOptions withRpcProxies(boolean on) {
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
        on,
        linkProxies,
        tls);
  }

  public DevnetOptions withLinkProxies(boolean on) {
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
        on,
        tls);
  }

  public DevnetOptions withTls(boolean on) {
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
        on);
  }

  public DevnetOptions withOut(PrintStream o) {
    return new DevnetOptions(
        nodes,
        rate,
        duration,
        workDir,
        anvilPortA,
        anvilPortB,
        clusterBasePort,
        httpBasePort,
        o,
        rpcProxies,
        linkProxies,
        tls);
  }
}
