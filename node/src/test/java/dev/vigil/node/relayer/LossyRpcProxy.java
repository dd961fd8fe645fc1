package dev.vigil.node.relayer;

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

/**
 * A JSON-RPC proxy on 127.0.0.1 that forwards everything, but loses the answer to the next
 * {@code eth_sendRawTransaction}s it is told to: the chain takes the transaction, the client sees
 * the connection drop. What a relayer meets when its RPC provider fails at the worst moment.
 */
final class LossyRpcProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI upstream;
  private final AtomicInteger loseSends = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();

  LossyRpcProxy(String upstreamUrl) throws IOException {
    upstream = URI.create(upstreamUrl);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void loseNextSends(int n) {
    loseSends.set(n);
  }

  /** Answers lost so far: transactions the chain took while the client heard nothing. */
  int lost() {
    return lost.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      byte[] answer = forward(body);
      if (new String(body, StandardCharsets.UTF_8).contains("eth_sendRawTransaction")
          && loseSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        lost.incrementAndGet();
        return; // closing the exchange without headers drops the connection
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
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

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
