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

  /** Bytes of payload in one TCP segment on a 1500-byte MTU path (for the loss model). */
  private static final int SEGMENT = 1448;

  /**
   * Wide-area conditions for one link, applied in user space (this kernel may have no {@code
   * netem}): every chunk is held for the one-way delay; and since a lost segment on a TCP stream
   * holds up all that follows it until it is retransmitted, a chunk of k segments is held for a
   * retransmission too with probability 1 - (1 - loss)^k, by {@link #retransmit()} (Linux's least
   * retransmission timeout, 200 ms, plus a round trip). Order is kept: nothing overtakes a held
   * chunk.
   *
   * @param oneWayDelay added to every chunk in each direction
   * @param loss the segment loss rate to imitate, 0 <= loss < 1
   */
  public record Shape(java.time.Duration oneWayDelay, double loss) {
    public static final Shape NONE = new Shape(java.time.Duration.ZERO, 0);

    public Shape {
      if (oneWayDelay.isNegative())
        throw new IllegalArgumentException("delay must not be negative, got " + oneWayDelay);
      if (!(loss >= 0 && loss < 1))
        throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
    }

    /** How long a chunk with a lost segment is held beyond the delay. */
    public java.time.Duration retransmit() {
      return java.time.Duration.ofMillis(200).plus(oneWayDelay.multipliedBy(2));
    }
  }

  private final String name;
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong reset = new AtomicLong();
  private Mode mode = Mode.PASS; // guarded by lock
  private volatile Shape shape = Shape.NONE;
  private final java.util.SplittableRandom random; // guarded by itself
  private final AtomicLong stalls = new AtomicLong();
  private volatile boolean closed;

  private LinkProxy(String name, ServerSocket server, InetSocketAddress upstream) {
    this.name = name;
    this.server = server;
    this.upstream = upstream;
    this.random = new java.util.SplittableRandom(name.hashCode() * 0x9E3779B97F4A7C15L);
  }

  /**
   * @param listen a loopback address and port to accept on
   * @param upstream where accepted connections are forwarded to
   */
  public static LinkProxy start(String name, InetSocketAddress listen, InetSocketAddress upstream) {
    if (!listen.getAddress().isLoopbackAddress() && !isBenchmarkingRange(listen.getAddress()))
      throw new IllegalArgumentException(
          "link proxies listen on loopback or in 198.18.0.0/15 only, got " + listen);
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

  /** 198.18.0.0/15, the benchmarking range, where {@link GuardianHosts} puts its addresses. */
  static boolean isBenchmarkingRange(java.net.InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 4 && (b[0] & 0xff) == 198 && ((b[1] & 0xff) & 0xfe) == 18;
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

  /** Sets wide-area conditions for chunks read from now on ({@link Shape#NONE} to stop). */
  public void shape(Shape s) {
    shape = java.util.Objects.requireNonNull(s, "shape");
  }

  public Shape shape() {
    return shape;
  }

  /** Chunks held for an imitated retransmission so far. */
  public long stalls() {
    return stalls.get();
  }

  /**
   * When a chunk of {@code bytes} read now may leave: after the delay, and after a retransmission
   * if one of its segments is "lost".
   */
  private long releaseAt(long now, int bytes) {
    Shape sh = shape;
    if (sh == Shape.NONE) return now;
    long at = now + sh.oneWayDelay().toNanos();
    if (sh.loss() > 0) {
      int segments = (bytes + SEGMENT - 1) / SEGMENT;
      double pass = Math.pow(1 - sh.loss(), segments);
      double draw;
      synchronized (random) {
        draw = random.nextDouble();
      }
      if (draw >= pass) {
        stalls.incrementAndGet();
        at += sh.retransmit().toNanos();
      }
    }
    return at;
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

  /** Bytes read from one side, and when they may be written to the other. */
  private record Chunk(byte[] bytes, long releaseAt) {
    static final Chunk END = new Chunk(new byte[0], 0);
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

    /**
     * Copies one direction. Chunks go through a queue to a writer thread that sends each when
     * {@link #releaseAt} says, so a delay holds data in flight without slowing the stream (as on a
     * long path) and nothing overtakes a held chunk.
     */
    private void pump(Socket from, Socket to) {
      java.util.concurrent.BlockingQueue<Chunk> queue =
          new java.util.concurrent.LinkedBlockingQueue<>(256); // about 16 MiB in flight at most
      Thread writer =
          Thread.ofVirtual().name("link-" + name + "-out").start(() -> drain(queue, to));
      byte[] buf = new byte[CHUNK];
      long last = 0;
      try {
        InputStream in = from.getInputStream();
        while (true) {
          int n = in.read(buf);
          if (n < 0) break;
          // while black-holed the chunk waits here and TCP back-pressure holds the rest
          if (!awaitPass()) {
            abort();
            return;
          }
          last = Math.max(last, releaseAt(System.nanoTime(), n));
          queue.put(new Chunk(java.util.Arrays.copyOf(buf, n), last));
        }
        queue.put(Chunk.END); // pass the FIN on once the rest is out, keep the other direction
      } catch (IOException e) {
        abort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
      } finally {
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void drain(java.util.concurrent.BlockingQueue<Chunk> queue, Socket to) {
      try {
        OutputStream out = to.getOutputStream();
        while (!aborted) {
          Chunk c = queue.poll(1, java.util.concurrent.TimeUnit.SECONDS);
          if (c == null) continue;
          if (c == Chunk.END) {
            to.shutdownOutput();
            return;
          }
          long wait = c.releaseAt() - System.nanoTime();
          if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          out.write(c.bytes());
        }
      } catch (IOException e) {
        abort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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
