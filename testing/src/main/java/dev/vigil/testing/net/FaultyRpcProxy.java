package dev.vigil.testing.net;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a chain that misbehaves on demand: errors, garbage,
 * truncated answers, delays, dropped connections, and lost answers to transactions the chain took.
 * For observer and relayer tests and the chaos tool.
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
    DROP,
    /**
     * a node that lags behind: the head (and the latest/safe/finalized tags) stay where they were
     * when the mode was set, everything else is answered faithfully
     */
    LAG,
    /**
     * a node that lies: answers faithfully, except that the text set by {@link #forge} is replaced
     * in every answer (for example a log's payload, hex-encoded)
     */
    FORGE
  }

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI upstream;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger loseSends = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private volatile Duration slowDelay = Duration.ofSeconds(15);
  private volatile String forgeFrom = "";
  private volatile String forgeTo = "";
  private final AtomicLong frozenHead =
      new AtomicLong(-1); // LAG: the head the endpoint is stuck at
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final java.util.Set<String> HEAD_TAGS =
      java.util.Set.of("latest", "safe", "finalized", "pending");

  private FaultyRpcProxy(HttpServer server, URI upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** On a port the kernel picks (from its ephemeral range). */
  public static FaultyRpcProxy start(String upstreamUrl) {
    return start(upstreamUrl, 0);
  }

  /** On 127.0.0.1:{@code port} (0: the kernel picks). */
  public static FaultyRpcProxy start(String upstreamUrl, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
      FaultyRpcProxy p = new FaultyRpcProxy(server, URI.create(upstreamUrl));
      server.createContext("/", p::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start RPC proxy on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Forges answers: {@code from} becomes {@code to} in every answer (case-sensitive), from now on.
   */
  public void forge(String from, String to) {
    forgeFrom = from;
    forgeTo = to;
    mode(Mode.FORGE);
  }

  public void mode(Mode m) {
    if (m == Mode.LAG && mode.get() != Mode.LAG) frozenHead.set(-1); // frozen at the next request
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

  /**
   * Forwards the next {@code n} {@code eth_sendRawTransaction}s but drops the connection instead of
   * answering: the chain takes the transaction, the client sees the connection drop. What a relayer
   * meets when its RPC provider fails at the worst moment. Independent of {@link #mode}.
   */
  public void loseNextSends(int n) {
    loseSends.set(n);
  }

  /**
   * Answers lost so far by {@link #loseNextSends}: transactions the chain took while the client
   * heard nothing.
   */
  public int lost() {
    return lost.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    byte[] body = ex.getRequestBody().readAllBytes();
    Mode m = mode.get();
    try (ex) {
      switch (m) {
        case HTTP_500 ->
            reply(ex, 500, "internal error (injected)".getBytes(StandardCharsets.UTF_8));
        case GARBAGE ->
            reply(ex, 200, "<html>\u0000\u00ff not json {{{".getBytes(StandardCharsets.ISO_8859_1));
        case RPC_ERROR ->
            reply(
                ex,
                200,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,\"message\":\"limit exceeded (injected)\"}}"
                    .getBytes(StandardCharsets.UTF_8));
        case DROP -> {
          /* closing the exchange without headers drops the connection */
        }
        case TRUNCATED -> {
          byte[] real = forward(body);
          byte[] cut = java.util.Arrays.copyOf(real, Math.max(1, real.length / 2));
          reply(ex, 200, cut);
        }
        case SLOW -> {
          sleep(slowDelay);
          reply(ex, 200, forward(body));
        }
        case LAG -> reply(ex, 200, lagging(body));
        case FORGE ->
            reply(
                ex,
                200,
                new String(forward(body), StandardCharsets.UTF_8)
                    .replace(forgeFrom, forgeTo)
                    .getBytes(StandardCharsets.UTF_8));
        case PASS -> {
          byte[] answer = forward(body);
          if (loseSends.get() > 0
              && new String(body, StandardCharsets.UTF_8).contains("eth_sendRawTransaction")
              && loseSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lost.incrementAndGet();
            return; // closing the exchange without headers drops the connection
          }
          reply(ex, 200, answer);
        }
      }
    } catch (IOException e) {
      // the client went away, or upstream is down: nothing more to do for this request
    }
  }

  /** The answer of a node stuck at the head it had when LAG began. */
  private byte[] lagging(byte[] body) throws IOException {
    com.fasterxml.jackson.databind.JsonNode req;
    try {
      req = JSON.readTree(body);
    } catch (IOException notJson) {
      return forward(body);
    }
    if (req == null || !req.isObject()) return forward(body);
    long frozen = frozenHead.get();
    if (frozen < 0) {
      byte[] head =
          forward(
              "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"eth_blockNumber\",\"params\":[]}"
                  .getBytes(StandardCharsets.UTF_8));
      long now = Long.decode(JSON.readTree(head).path("result").asText("0x0"));
      frozenHead.compareAndSet(-1, now);
      frozen = frozenHead.get();
    }
    String method = req.path("method").asText();
    if (method.equals("eth_blockNumber")) {
      var answer = JSON.createObjectNode().put("jsonrpc", "2.0");
      answer.set("id", req.path("id"));
      answer.put("result", "0x" + Long.toHexString(frozen));
      return JSON.writeValueAsBytes(answer);
    }
    if (method.equals("eth_getBlockByNumber")
        && req.path("params").path(0).isTextual()
        && HEAD_TAGS.contains(req.path("params").path(0).asText())) {
      byte[] real = forward(body);
      com.fasterxml.jackson.databind.JsonNode number =
          JSON.readTree(real).path("result").path("number");
      if (number.isTextual() && Long.decode(number.asText()) <= frozen)
        return real; // the tag is behind the frozen head anyway
      var pinned = (com.fasterxml.jackson.databind.node.ObjectNode) req.deepCopy();
      ((com.fasterxml.jackson.databind.node.ArrayNode) pinned.path("params"))
          .set(0, "0x" + Long.toHexString(frozen));
      return forward(JSON.writeValueAsBytes(pinned));
    }
    return forward(body);
  }

  private byte[] forward(byte[] body) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(upstream)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
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
