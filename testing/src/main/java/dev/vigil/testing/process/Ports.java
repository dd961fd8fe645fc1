package dev.vigil.testing.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the processes and proxies one launcher starts, none handed out twice.
 *
 * <p>Ports are picked below the kernel's ephemeral range ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}): a port asked from the kernel with bind(0) lies inside
 * that range, where every outgoing connection and every other bind(0) of this JVM (an HTTP server,
 * a proxy) lands too, so a port picked that way and closed can be taken again before its user binds
 * it. Each reserved port also stays bound here on 127.0.0.1 until {@link #release} hands it to its
 * user, so that no other pick (here or in another process that picks the same way) gets it
 * meanwhile.
 */
public final class Ports implements AutoCloseable {
  /** Lowest port picked: above the well-known and most services' ports. */
  static final int LOW = 20_000;

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final int low;
  private final int high; // exclusive
  private final Set<Integer> given = new HashSet<>();
  private final Map<Integer, ServerSocket> held = new HashMap<>();

  /** Ports in [20000, start of the ephemeral range). */
  public Ports() {
    this(LOW, ephemeralLow());
  }

  /** Ports in [low, high); for tests. */
  Ports(int low, int high) {
    if (high - low < 1)
      throw new IllegalArgumentException("empty port range [" + low + ", " + high + ")");
    this.low = low;
    this.high = high;
  }

  /**
   * A port no one listens on, below the ephemeral range, never handed out before by this instance;
   * it stays bound on 127.0.0.1 until {@link #release}.
   */
  public synchronized int reserve() {
    int span = high - low;
    int first = ThreadLocalRandom.current().nextInt(span);
    // random start, then every port of the range once: bounded, and finds the last free port too
    for (int i = 0; i < span; i++) {
      int port = low + (first + i) % span;
      if (given.contains(port)) continue;
      ServerSocket s = bound(port);
      if (s == null) continue;
      given.add(port);
      held.put(port, s);
      return port;
    }
    throw new IllegalStateException(
        "no free loopback port in ["
            + low
            + ", "
            + high
            + ") ("
            + given.size()
            + " handed out here)");
  }

  /**
   * Stops holding {@code port} so that its user can bind it now; returns it. A port not held here
   * (a fixed one from {@link #pick}, or one released before) is returned as it is.
   */
  public synchronized int release(int port) {
    ServerSocket s = held.remove(port);
    if (s != null) close(s);
    return port;
  }

  /** {@code base + offset} (fixed, not checked), or a reserved port when {@code base} is 0. */
  public int pick(int base, int offset) {
    return base == 0 ? reserve() : base + offset;
  }

  /** Lets go of every port still held. */
  @Override
  public synchronized void close() {
    held.values().forEach(Ports::close);
    held.clear();
  }

  /**
   * The first port of the kernel's ephemeral range; 32768 (Linux's default) where it cannot be
   * read.
   */
  static int ephemeralLow() {
    try {
      String[] range =
          Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      int first = Integer.parseInt(range[0]);
      return first - LOW >= 1000 ? first : 32768;
    } catch (IOException | RuntimeException unknown) {
      return 32768;
    }
  }

  private static ServerSocket bound(int port) {
    ServerSocket s = null;
    try {
      s = new ServerSocket();
      s.setReuseAddress(false); // a port with connections still in TIME_WAIT is not offered
      s.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return s;
    } catch (IOException inUse) {
      if (s != null) close(s);
      return null;
    }
  }

  private static void close(ServerSocket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing left bound
    }
  }
}
