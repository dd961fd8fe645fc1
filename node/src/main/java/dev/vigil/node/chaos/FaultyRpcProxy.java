package dev.vigil.node.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a chain that misbehaves on demand: errors, garbage,
 * truncated answers, delays, dropped connections. For observer tests and the chaos tool.
 */
public final class FaultyRpcProxy implements AutoCloseable {
  /** What the proxy does with the next requests. */
  public enum Mode {
    /** forward faithfully */
    PASS,
    /** HTTP 500 with a text body */
    HTTP_500,
    /** HTTP 200 whose body is not JSON */
    GARBAGE,
    /** HTTP 200 with the real answer cut in half */
    TRUNCATED,
    /** a well-formed JSON-RPC error object */
    RPC_ERROR,
    /** forward after a delay longer than clients should wait */
    SLOW,
    /** close the connection without an answer */
    DROP
  }

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI upstream;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicLong requests = new AtomicLong();
  private volatile Duration slowDelay = Duration.ofSeconds(15);

  private FaultyRpcProxy(HttpServer server, URI upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  public static FaultyRpcProxy start(String upstreamUrl) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      FaultyRpcProxy p = new FaultyRpcProxy(server, URI.create(upstreamUrl));
      server.createContext("/", p::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start RPC proxy: " + e.getMessage(), e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void mode(Mode m) {
    mode.set(m);
  }

  public Mode mode() {
    return mode.get();
  }

  public void slowDelay(Duration d) {
    slowDelay = d;
  }

  public long requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    byte[] body = ex.getRequestBody().readAllBytes();
    Mode m = mode.get();
    try (ex) {
      switch (m) {
        case HTTP_500 -> reply(ex, 500, "internal error (injected)".getBytes(StandardCharsets.UTF_8));
        case GARBAGE -> reply(ex, 200, "<html>\u0000\u00ff not json {{{".getBytes(StandardCharsets.ISO_8859_1));
        case RPC_ERROR -> reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,\"message\":\"limit exceeded (injected)\"}}"
            .getBytes(StandardCharsets.UTF_8));
        case DROP -> { /* closing the exchange without headers drops the connection */ }
        case TRUNCATED -> {
          byte[] real = forward(body);
          byte[] cut = java.util.Arrays.copyOf(real, Math.max(1, real.length / 2));
          reply(ex, 200, cut);
        }
        case SLOW -> {
          sleep(slowDelay);
          reply(ex, 200, forward(body));
        }
        case PASS -> reply(ex, 200, forward(body));
      }
    } catch (IOException e) {
      // the client went away, or upstream is down: nothing more to do for this request
    }
  }

  private byte[] forward(byte[] body) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      return client.send(req, HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
