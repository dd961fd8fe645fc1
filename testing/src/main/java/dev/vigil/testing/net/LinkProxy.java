package dev.vigil.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for one directed peer link (guardian X to guardian Y) that can cut the link on
 * demand. Pekko's Artery TCP sends each direction over connections the sender opens, so a proxy per
 * directed link can cut any partition shape, symmetric or not. Listens on a loopback address only.
 */
public final class LinkProxy implements AutoCloseable {
  /** What the link does with its connections. */
  public enum Mode {
    /** forward both ways */
    PASS,
    /** reset every live connection and every new one at once (a firewall that rejects) */
    DROP,
    /**
     * forward nothing, close nothing: live connections go silent and new ones are accepted and
     * held, as when packets are lost; what was sent meanwhile arrives after the heal, like TCP
     * retransmits
     */
    BLACKHOLE
  }

  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong reset = new AtomicLong();
  private Mode mode = Mode.PASS; // guarded by lock
  private volatile boolean closed;

  private LinkProxy(String name, ServerSocket server, InetSocketAddress upstream) {
    this.name = name;
    this.server = server;
    this.upstream = upstream;
  }

  /**
   * @param listen a loopback address and port to accept on
   * @param upstream where accepted connections are forwarded to
   */
  public static LinkProxy start(String name, InetSocketAddress listen, InetSocketAddress upstream) {
    if (!listen.getAddress().isLoopbackAddress())
      throw new IllegalArgumentException("link proxies listen on loopback only, got " + listen);
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(listen, 64);
      LinkProxy p = new LinkProxy(name, s, upstream);
      Thread.ofVirtual().name("link-" + name).start(p::acceptLoop);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start link proxy " + name + " on " + listen + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public Mode mode() {
    synchronized (lock) {
      return mode;
    }
  }

  /** Switches the link; DROP resets live connections before it returns. */
  public void mode(Mode m) {
    synchronized (lock) {
      mode = m;
      lock.notifyAll();
    }
    if (m == Mode.DROP) {
      for (Link l : links) {
        reset.incrementAndGet();
        l.abort();
      }
    }
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections reset by a cut so far (live ones at DROP, and new ones refused during it). */
  public long reset() {
    return reset.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) return;
        continue; // a failed accept (e.g. out of descriptors) must not end the link for good
      }
      accepted.incrementAndGet();
      Link l = new Link(client);
      links.add(l);
      Thread.ofVirtual().name("link-" + name + "-conn").start(l::run);
    }
  }

  /** Blocks while the link is black-holed; false once it drops or closes. */
  private boolean awaitPass() {
    synchronized (lock) {
      while (mode == Mode.BLACKHOLE && !closed) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return mode == Mode.PASS && !closed;
    }
  }

  /** One accepted connection and its upstream twin. */
  private final class Link {
    private final Socket client;
    private volatile Socket up;
    private volatile boolean aborted;

    Link(Socket client) {
      this.client = client;
    }

    void run() {
      try {
        // a connection that arrives during a cut is reset (DROP) or held until the heal (BLACKHOLE)
        if (!awaitPass()) {
          reset.incrementAndGet();
          abort();
          return;
        }
        Socket u = new Socket();
        up = u;
        if (aborted) {
          abort();
          return;
        }
        u.connect(upstream, 5_000);
        u.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        Thread back =
            Thread.ofVirtual().name("link-" + name + "-back").start(() -> pump(u, client));
        pump(client, u);
        back.join();
      } catch (IOException e) {
        abort(); // upstream is down: the sender sees its connection fail, as it would without us
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
      } finally {
        closeQuietly(client);
        closeQuietly(up);
        links.remove(this);
      }
    }

    private void pump(Socket from, Socket to) {
      byte[] buf = new byte[CHUNK];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          int n = in.read(buf);
          if (n < 0) break;
          // while black-holed the chunk waits here and TCP back-pressure holds the rest
          if (!awaitPass()) {
            abort();
            return;
          }
          out.write(buf, 0, n);
        }
        to.shutdownOutput(); // pass the FIN on, keep the other direction
      } catch (IOException e) {
        abort();
      }
    }

    /** Resets both ends (RST, not FIN): the peers see the connection fail, not end. */
    void abort() {
      aborted = true;
      resetQuietly(client);
      resetQuietly(up);
    }
  }

  private static void resetQuietly(Socket s) {
    if (s == null) return;
    try {
      if (!s.isClosed()) s.setSoLinger(true, 0);
    } catch (SocketException e) {
      // not connected yet or already gone: closing is all that is left
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    if (s == null) return;
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
    links.forEach(Link::abort);
  }

  @Override
  public String toString() {
    return "link " + name + " " + address() + " -> " + upstream + " (" + mode() + ")";
  }
}
