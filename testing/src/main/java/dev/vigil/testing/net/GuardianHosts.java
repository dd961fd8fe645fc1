package dev.vigil.testing.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per guardian, as separate hosts on one LAN: namespace {@code i} has
 * its own network stack with address 198.18.R.(10+i) on a veth pair whose other end is on a bridge
 * in this (the root) namespace, where the bridge has 198.18.R.1, the hosts' default gateway. R is
 * chosen per run, so that two runs on one machine do not meet. Besides, the bridge holds
 * 198.19.R.(16·from + to + 1) for every directed link between two guardians, where a {@link
 * LinkProxy} of that link can listen: the hosts reach them through the gateway, and the proxy
 * applies the wide-area conditions of that link.
 *
 * <p>All addresses are in the benchmarking range 198.18.0.0/15 and exist only on this machine;
 * {@link #close()} removes the namespaces, the veth pairs and the bridge (a shutdown hook does so
 * too, should the JVM end without it). Needs root and iproute2's {@code ip}: {@link #unavailable()}
 * says why not, for a caller to skip with that reason.
 */
public final class GuardianHosts implements AutoCloseable {
  /** Guardians one set of hosts can hold: link addresses have 4 bits for each end. */
  public static final int MAX_HOSTS = 15;

  private static final String IP =
      Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip";

  private final int subnet; // R
  private final int hosts;
  private final String bridge;
  private final List<String> namespaces = new ArrayList<>();
  private final Thread cleanup = new Thread(this::removeAll, "guardian-hosts-cleanup");
  private boolean closed;

  private GuardianHosts(int subnet, int hosts) {
    this.subnet = subnet;
    this.hosts = hosts;
    this.bridge = "vglbr" + subnet;
  }

  /**
   * Why namespaces cannot be made here (not root, no {@code ip}, no namespace support), or null
   * when they can.
   */
  public static String unavailable() {
    if (!"root".equals(System.getProperty("user.name")))
      return "network namespaces need root (running as " + System.getProperty("user.name") + ")";
    if (!Files.isExecutable(Path.of(IP)))
      return "network namespaces need iproute2's ip (Debian package iproute2)";
    String probe = "vigil-probe-" + ProcessHandle.current().pid();
    try {
      run(IP, "netns", "add", probe);
      run(IP, "netns", "delete", probe);
      return null;
    } catch (IllegalStateException e) {
      return "cannot create a network namespace here: " + e.getMessage();
    }
  }

  /** Creates {@code n} hosts on a new bridge; throws naming the step that failed. */
  public static GuardianHosts create(int n, long seed) {
    if (n < 1 || n > MAX_HOSTS)
      throw new IllegalArgumentException("1.." + MAX_HOSTS + " hosts, got " + n);
    String why = unavailable();
    if (why != null) throw new IllegalStateException(why);
    String used = output(IP, "-o", "addr", "show");
    SplittableRandom random = new SplittableRandom(seed ^ System.nanoTime());
    int r;
    do {
      r = 1 + random.nextInt(254);
    } while (used.contains(" 198.18." + r + ".") || used.contains(" 198.19." + r + "."));
    GuardianHosts h = new GuardianHosts(r, n);
    Runtime.getRuntime().addShutdownHook(h.cleanup);
    try {
      h.build();
      return h;
    } catch (RuntimeException e) {
      h.close();
      throw e;
    }
  }

  private void build() {
    run(IP, "link", "add", bridge, "type", "bridge");
    run(IP, "addr", "add", gateway().getHostAddress() + "/24", "dev", bridge);
    for (int from = 0; from < hosts; from++)
      for (int to = 0; to < hosts; to++)
        if (from != to)
          run(IP, "addr", "add", linkAddress(from, to).getHostAddress() + "/32", "dev", bridge);
    run(IP, "link", "set", bridge, "up");
    for (int i = 0; i < hosts; i++) {
      String ns = namespace(i);
      String veth = "vgl" + subnet + "h" + i;
      run(IP, "netns", "add", ns);
      namespaces.add(ns);
      run(IP, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      run(IP, "link", "set", veth, "master", bridge);
      run(IP, "link", "set", veth, "up");
      run(IP, "-n", ns, "link", "set", "lo", "up");
      run(IP, "-n", ns, "addr", "add", host(i).getHostAddress() + "/24", "dev", "eth0");
      run(IP, "-n", ns, "link", "set", "eth0", "up");
      run(IP, "-n", ns, "route", "add", "198.19." + subnet + ".0/24", "via", gw());
    }
  }

  public int size() {
    return hosts;
  }

  /** Host {@code i}'s own address, in its namespace. */
  public InetAddress host(int i) {
    return address(198, 18, subnet, 10 + i);
  }

  /** The bridge's address in the root namespace: what the hosts reach this machine at. */
  public InetAddress gateway() {
    return address(198, 18, subnet, 1);
  }

  /** Where the proxy of the link {@code from -> to} listens (in the root namespace). */
  public InetAddress linkAddress(int from, int to) {
    if (from == to || from < 0 || to < 0 || from >= hosts || to >= hosts)
      throw new IllegalArgumentException("no link " + from + " -> " + to);
    return address(198, 19, subnet, 16 * from + to + 1);
  }

  /** Host {@code i}'s namespace name. */
  public String namespace(int i) {
    return "vigil-" + subnet + "-h" + i;
  }

  /** What runs a command on host {@code i}: {@code ip netns exec NAME} (it execs the command). */
  public List<String> launcher(int i) {
    return List.of(IP, "netns", "exec", namespace(i));
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private void removeAll() {
    for (String ns : namespaces) runQuietly(IP, "netns", "delete", ns); // takes its veth along
    runQuietly(IP, "link", "delete", bridge);
  }

  @Override
  public String toString() {
    return hosts + " hosts on " + bridge + " (198.18." + subnet + ".0/24)";
  }

  private String gw() {
    return gateway().getHostAddress();
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String... cmd) {
    output(cmd);
  }

  private static void runQuietly(String... cmd) {
    try {
      output(cmd);
    } catch (IllegalStateException e) {
      // already gone
    }
  }

  private static String output(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 30 s");
      }
      if (p.exitValue() != 0)
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip());
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
