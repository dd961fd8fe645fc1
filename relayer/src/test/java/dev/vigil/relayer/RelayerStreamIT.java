package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Secp256k1Backends;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One route's stream follower against a scripted server on 127.0.0.1 that writes the API's event
 * format (as pekko-http renders AttestationStream's events: {@code data:}, {@code event:}, {@code
 * id:} lines), for what the real API cannot be made to do on cue: drop a reader that fell behind,
 * refuse with 503, send garbage, end a stream after a gap.
 */
class RelayerStreamIT {
  static final TestCommittee COMMITTEE =
      TestCommittee.create(new Random(9), 0, 4, Secp256k1Backends.preferred());
  static final Bytes32 EMITTER = Bytes32.fromHex("00".repeat(12) + "11".repeat(20));

  HttpServer server;
  final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
  final List<URI> requests = new CopyOnWriteArrayList<>();
  final CountDownLatch end = new CountDownLatch(1);
  final EmitterProgress progress = new EmitterProgress(0, 1000);
  final List<Long> accepted = new CopyOnWriteArrayList<>();
  final AtomicLong malformed = new AtomicLong();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  StreamFollower follower;
  Thread thread;

  /** What the server does with one request. */
  interface Script {
    void answer(HttpExchange ex) throws IOException, InterruptedException;
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          requests.add(ex.getRequestURI());
          try (ex) {
            Script s = scripts.poll();
            if (s == null) s = this::holdOpen;
            s.answer(ex);
          } catch (InterruptedException | IOException e) {
            // the test is over or the client went away
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    end.countDown();
    if (follower != null) follower.stop();
    if (thread != null) thread.join(5_000);
    server.stop(0);
    http.shutdownNow();
  }

  void follow() {
    URI base =
        URI.create(
            "http://127.0.0.1:"
                + server.getAddress().getPort()
                + "/v1/attestations/stream?chain=2&emitter=0x"
                + EMITTER.toHex()
                + "&from=");
    StreamFollower.Sink sink =
        new StreamFollower.Sink() {
          @Override
          public void accept(AttestationEvents.Received r) {
            accepted.add(r.attestation().body().sequence());
            progress.received(r.attestation().body().sequence());
          }

          @Override
          public void malformed(String reason) {
            malformed.incrementAndGet();
          }
        };
    follower =
        new StreamFollower(
            "scripted",
            http,
            () -> URI.create(base.toString() + progress.next()),
            sink,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), new Random(1)),
            Duration.ofSeconds(5),
            new StreamFollower.SourceCounters());
    thread = Thread.ofVirtual().start(follower);
  }

  @Test
  void aDroppedStreamIsReopenedFromTheFirstSequenceNotYetReceived() {
    scripts.add(
        ex ->
            stream(
                ex,
                event(0)
                    + ": comment\n\n"
                    + event(1)
                    + "data:{\"error\":\"dropped\",\"detail\":\"this stream fell 4 attestations behind\"}\nevent:dropped\n\n"
                    + event(9)));
    scripts.add(ex -> stream(ex, event(2) + event(3)));
    follow();

    await(() -> accepted.size() == 4);
    assertThat(accepted).containsExactly(0L, 1L, 2L, 3L); // nothing after "dropped" was taken
    assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
    assertThat(requests.get(0).getQuery()).endsWith("&from=0");
    assertThat(requests.get(1).getQuery()).endsWith("&from=2");
    assertThat(malformed).hasValue(0);
  }

  @Test
  void aStreamThatEndsAfterAGapResumesAtTheGap() {
    scripts.add(ex -> stream(ex, event(0) + event(2) + event(3))); // 1 not attested yet
    scripts.add(ex -> stream(ex, event(1) + event(2) + event(3) + event(4))); // the replay from 1
    follow();

    await(() -> accepted.contains(4L));
    assertThat(requests.get(1).getQuery()).endsWith("&from=1");
    assertThat(progress.next()).isEqualTo(5);
  }

  @Test
  void refusalsAreRetriedWithBackoffAndLoggedOnce() {
    ListAppender<ILoggingEvent> logs = RelayerIT.capture(StreamFollower.class);
    try {
      for (int i = 0; i < 3; i++) {
        scripts.add(
            ex ->
                reply(
                    ex,
                    503,
                    "{\"error\":\"too many streams\",\"detail\":\"this node serves at most 1\"}"));
      }
      scripts.add(
          ex -> {
            stream(ex, event(0), false);
            holdOpen(ex);
          });
      follow();

      await(() -> accepted.size() == 1);
      List<String> warnings =
          logs.list.stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(warnings)
          .singleElement()
          .satisfies(w -> assertThat(w).contains("HTTP 503", "too many streams"));
      assertThat(logs.list)
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("open again"));
    } finally {
      RelayerIT.release(logs, StreamFollower.class);
    }
  }

  @Test
  void eventsThatAreNotAttestationsAreSkippedAndTheStreamGoesOn() {
    scripts.add(
        ex -> {
          // held open: the attestation after the bad events must come on this same stream, without
          // a reconnect
          stream(
              ex,
              "data:{not json\nid:x\n\n" + "data:{\"hex\":\"0x0102\"}\n\n" + "data:\n\n" + event(0),
              false);
          holdOpen(ex);
        });
    follow();

    await(() -> accepted.size() == 1);
    assertThat(malformed).hasValue(2); // the empty keep-alive is not one
    assertThat(requests).hasSize(1);
  }

  // ------------------------------------------------------------------ scripted server

  /** An attestation event as the API renders it. */
  static String event(long sequence) {
    Attestation a =
        COMMITTEE.attestQuorum(
            new Body(1_700_000_000L, 0, 2, EMITTER, sequence, 200, new byte[] {(byte) sequence}));
    String json =
        "{\"id\":\""
            + a.messageId()
            + "\",\"sequence\":\""
            + sequence
            + "\",\"hex\":\""
            + Hex.encode0x(a.encode())
            + "\"}";
    return "data:" + json + "\nid:" + a.messageId() + "\n\n";
  }

  static void stream(HttpExchange ex, String body) throws IOException {
    stream(ex, body, true);
  }

  static void stream(HttpExchange ex, String body, boolean end) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.write(body.getBytes(StandardCharsets.UTF_8));
    out.flush();
    if (end) out.close();
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Keeps the stream open (headers sent first if not yet) until the test ends. */
  void holdOpen(HttpExchange ex) throws IOException, InterruptedException {
    if (ex.getResponseCode() < 0) {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().flush();
    }
    end.await(30, TimeUnit.SECONDS);
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 20 s");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
