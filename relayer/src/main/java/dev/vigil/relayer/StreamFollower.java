package dev.vigil.relayer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one attestation stream of one node: opens it, hands each attestation to a sink, and when
 * the stream ends or breaks (node down, "dropped" for reading too slowly, silent past the idle
 * timeout) opens it again after a backoff with jitter. The URL is asked for again on each opening,
 * so a resumable stream starts where the relayer got to. One thread runs {@link #run}.
 */
final class StreamFollower implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(StreamFollower.class);

  interface Sink {
    /** May block (back-pressure): the stream is not read meanwhile. */
    void accept(AttestationEvents.Received received) throws InterruptedException;

    void malformed(String reason);
  }

  /** Per-node counters shared by that node's followers. */
  static final class SourceCounters {
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong events = new AtomicLong();
  }

  private final String name;
  private final HttpClient http;
  private final Supplier<URI> uri;
  private final Sink sink;
  private final Backoff backoff;
  private final Duration connectTimeout;
  private final SourceCounters counters;
  private volatile boolean running = true;
  private volatile Stream<String> current;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile Thread thread;
  private String
      failing; // the failure that began the current episode (logged once); only the run thread uses

  // it

  StreamFollower(
      String name,
      HttpClient http,
      Supplier<URI> uri,
      Sink sink,
      Backoff backoff,
      Duration connectTimeout,
      SourceCounters counters) {
    this.name = name;
    this.http = http;
    this.uri = uri;
    this.sink = sink;
    this.backoff = backoff;
    this.connectTimeout = connectTimeout;
    this.counters = counters;
  }

  String name() {
    return name;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    while (running) {
      String failure;
      try {
        failure = follow();
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        failure =
            e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (!running) break;
      Duration wait = backoff.next();
      if (failing == null) {
        failing = failure;
        log.warn("attestation stream {}: {}; reopening with backoff", name, failure);
      } else {
        log.debug(
            "attestation stream {} (attempt {}): {}; next in {} ms",
            name,
            backoff.failures(),
            failure,
            wait.toMillis());
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        break;
      }
    }
  }

  /** One opening of the stream, read to its end; returns why it ended. */
  private String follow() throws IOException, InterruptedException {
    URI target = uri.get();
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .version(HttpClient.Version.HTTP_1_1)
            .header("Accept", "text/event-stream")
            .timeout(connectTimeout) // until the response headers; the body is watched by the idle
            // timeout
            .GET()
            .build();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        String body = lines.limit(5).collect(Collectors.joining(" "));
        return "HTTP "
            + response.statusCode()
            + " from "
            + target
            + (body.isBlank() ? "" : ": " + shorten(body));
      }
      current = lines;
      if (!running) return "stopped";
      lastActivityNanos = System.nanoTime();
      counters.open.incrementAndGet();
      counters.connects.incrementAndGet();
      if (failing != null) {
        log.info("attestation stream {} open again: {}", name, target);
        failing = null;
      } else {
        log.debug("attestation stream {} open: {}", name, target);
      }
      try {
        return read(lines.iterator());
      } finally {
        counters.open.decrementAndGet();
        current = null;
      }
    }
  }

  private String read(Iterator<String> lines) throws InterruptedException {
    SseParser parser = new SseParser();
    boolean reset = false;
    try {
      while (lines.hasNext()) {
        String line = lines.next();
        lastActivityNanos = System.nanoTime();
        if (!reset) {
          // the stream delivers: a later failure starts a new episode with the shortest backoff
          backoff.reset();
          reset = true;
        }
        Optional<SseParser.Event> event = parser.line(line);
        if (event.isEmpty()) continue;
        SseParser.Event e = event.get();
        if (e.type().isPresent()) {
          if (e.type().get().equals("dropped"))
            return "the node dropped this stream (it was read too slowly): " + shorten(e.data());
          log.debug("attestation stream {}: event of type {} ignored", name, e.type().get());
          continue;
        }
        // the API's keep-alive is an event with empty data (pekko-http's heartbeat), not a comment
        if (e.data().isBlank()) continue;
        counters.events.incrementAndGet();
        switch (AttestationEvents.parse(e)) {
          case AttestationEvents.Ok ok -> sink.accept(ok.received());
          case AttestationEvents.Bad bad -> {
            log.warn(
                "attestation stream {}: event {} skipped: {}",
                name,
                e.id().orElse("(no id)"),
                bad.reason());
            sink.malformed(bad.reason());
          }
        }
      }
    } catch (java.io.UncheckedIOException e) {
      if (!running) return "stopped";
      return "the stream broke: " + e.getCause().getMessage();
    }
    return running ? "the node ended the stream" : "stopped";
  }

  /**
   * Called periodically: a stream silent for longer than {@code idle} is closed, so {@link #run}
   * reopens it.
   */
  void closeIfIdle(Duration idle) {
    Stream<String> s = current;
    if (s != null && System.nanoTime() - lastActivityNanos > idle.toNanos()) {
      log.warn(
          "attestation stream {} sent nothing for {} ms (not even a keep-alive); reopening",
          name,
          idle.toMillis());
      lastActivityNanos = System.nanoTime();
      s.close();
    }
  }

  void stop() {
    running = false;
    Stream<String> s = current;
    if (s != null) s.close();
    Thread t = thread;
    if (t != null) t.interrupt();
  }

  private static String shorten(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
