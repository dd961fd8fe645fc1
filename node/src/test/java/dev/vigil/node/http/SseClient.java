package dev.vigil.node.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** A server-sent-events reader over java.net.http: parses the stream into events as they arrive. */
final class SseClient implements AutoCloseable {
  record Event(String id, String type, String data) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicReference<Stream<String>> lines = new AtomicReference<>();
  private volatile HttpResponse<Stream<String>> response;
  private volatile Throwable failure;

  SseClient(HttpClient http, URI uri, Map<String, String> headers) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    headers.forEach(req::header);
    Thread.ofVirtual()
        .name("sse " + uri)
        .start(
            () -> {
              try {
                response = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
                lines.set(response.body());
                opened.countDown();
                String id = null, type = null;
                StringBuilder data = null;
                for (String line : (Iterable<String>) response.body()::iterator) {
                  if (line.isEmpty()) {
                    if (data != null) events.add(new Event(id, type, data.toString()));
                    id = null;
                    type = null;
                    data = null;
                  } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value =
                        colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                      case "id" -> id = value;
                      case "event" -> type = value;
                      case "data" ->
                          data =
                              data == null
                                  ? new StringBuilder(value)
                                  : data.append('\n').append(value);
                      default -> {}
                    }
                  }
                }
              } catch (Throwable t) {
                failure = t;
              } finally {
                opened.countDown();
                ended.countDown();
              }
            });
  }

  /** Waits for the response headers: from then on the server has this client subscribed. */
  SseClient awaitOpen() {
    await(opened, "the stream to open");
    if (response == null) throw new AssertionError("the stream did not open", failure);
    return this;
  }

  int status() {
    return awaitOpen().response.statusCode();
  }

  String contentType() {
    return awaitOpen().response.headers().firstValue("Content-Type").orElse("");
  }

  /** The next {@code n} events, failing if they do not come within 30 s. */
  List<Event> take(int n) {
    List<Event> out = new ArrayList<>(n);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (out.size() < n) {
      try {
        Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null)
          throw new AssertionError(
              "got "
                  + out.size()
                  + " of "
                  + n
                  + " events in 30 s"
                  + (ended() ? " (stream ended)" : ""));
        out.add(e);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new AssertionError(ie);
      }
    }
    return out;
  }

  /** Events already received and not yet taken. */
  List<Event> drain() {
    List<Event> out = new ArrayList<>();
    events.drainTo(out);
    return out;
  }

  boolean ended() {
    return ended.getCount() == 0;
  }

  /** Waits (up to 30 s) for the server to end the stream. */
  void awaitEnd() {
    await(ended, "the stream to end");
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("waited 30 s for " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    Stream<String> s = lines.get();
    if (s != null) s.close();
  }
}
