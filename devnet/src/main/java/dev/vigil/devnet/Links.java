package dev.vigil.devnet;

import dev.vigil.testing.net.GuardianHosts;
import dev.vigil.testing.net.LinkProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@link LinkProxy} on every directed link between two guardians, and each guardian's hosts file
 * that sends it through them: guardian X reaches peer Y at {@code guardian-Y}, which X's hosts file
 * maps to 127.0.(X+1).(Y+1), where the proxy of the link X→Y listens on Y's cluster port.
 */
final class Links implements AutoCloseable {
  private final LinkProxy[][] links; // [from][to]; null on the diagonal

  private Links(int n) {
    links = new LinkProxy[n][n];
  }

  /**
   * @param clusterPorts each guardian's cluster port, where it listens on 127.0.0.1
   */
  static Links start(int[] clusterPorts) {
    return start(clusterPorts, null);
  }

  /**
   * @param clusterPorts each guardian's cluster port
   * @param hosts null: guardians listen on 127.0.0.1 and each link on 127.0.(from+1).(to+1); else
   *     each guardian listens on its own host's address and each link on {@link
   *     GuardianHosts#linkAddress}
   */
  static Links start(int[] clusterPorts, GuardianHosts hosts) {
    int n = clusterPorts.length;
    Links l = new Links(n);
    try {
      for (int from = 0; from < n; from++) {
        for (int to = 0; to < n; to++) {
          if (from == to) continue;
          // the whole of 127.0.0.0/8 is loopback on Linux, so each link gets its own address on the
          // peer's own port
          InetSocketAddress listen =
              hosts == null
                  ? address(from, to, clusterPorts[to])
                  : new InetSocketAddress(hosts.linkAddress(from, to), clusterPorts[to]);
          InetSocketAddress upstream =
              new InetSocketAddress(
                  hosts == null ? InetAddress.getLoopbackAddress() : hosts.host(to),
                  clusterPorts[to]);
          l.links[from][to] = LinkProxy.start(from + "->" + to, listen, upstream);
        }
      }
      return l;
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
  }

  /**
   * Wide-area conditions on every link: each pair of guardians gets a one-way delay drawn from
   * [{@code minDelay}, {@code maxDelay}] (the same both ways, seeded), and every link {@code loss}.
   *
   * @return the delay of each pair, [from][to]
   */
  java.time.Duration[][] shape(
      java.time.Duration minDelay, java.time.Duration maxDelay, double loss, long seed) {
    int n = links.length;
    java.time.Duration[][] delays = new java.time.Duration[n][n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    long span = maxDelay.toMillis() - minDelay.toMillis();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        java.time.Duration d = minDelay.plusMillis(span <= 0 ? 0 : r.nextLong(span + 1));
        delays[a][b] = d;
        delays[b][a] = d;
        links[a][b].shape(new LinkProxy.Shape(d, loss));
        links[b][a].shape(new LinkProxy.Shape(d, loss));
      }
    }
    return delays;
  }

  /** Chunks held for an imitated retransmission on all links so far. */
  long stalls() {
    long s = 0;
    for (LinkProxy[] row : links) for (LinkProxy l : row) if (l != null) s += l.stalls();
    return s;
  }

  /** The name guardian {@code i} advertises and its peers resolve to their own proxy towards it. */
  static String hostName(int i) {
    return "guardian-" + i;
  }

  /**
   * Guardian {@code from}'s proxy towards {@code to}: 127.0.(from+1).(to+1), on {@code to}'s
   * cluster port.
   */
  static InetSocketAddress address(int from, int to, int port) {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {127, 0, (byte) (from + 1), (byte) (to + 1)}), port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  int count() {
    return links.length * (links.length - 1);
  }

  LinkProxy link(int from, int to) {
    if (from == to)
      throw new IllegalArgumentException("no link from guardian " + from + " to itself");
    return links[from][to];
  }

  /**
   * Guardian {@code i}'s hosts file (the JDK reads it instead of /etc/hosts when given as {@code
   * -Djdk.net.hosts.file}): every peer's name maps to the proxy of the link from {@code i} to that
   * peer, its own name to where it listens.
   */
  String hostsFile(int i) {
    StringBuilder b =
        new StringBuilder(
            "# Written by `vigil devnet` for guardian " + i + ": peers through link proxies.\n");
    String self = "localhost " + hostName(i);
    try {
      self +=
          " "
              + InetAddress.getLocalHost()
                  .getHostName(); // the JDK asks for it, e.g. for log context
    } catch (IOException e) {
      // without a resolvable host name there is nothing to add
    }
    b.append("127.0.0.1 ").append(self).append('\n');
    for (int to = 0; to < links.length; to++) {
      if (to != i)
        b.append(links[i][to].address().getAddress().getHostAddress())
            .append(' ')
            .append(hostName(to))
            .append('\n');
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (LinkProxy[] row : links) {
      for (LinkProxy l : row) if (l != null) l.close();
    }
  }
}
