package dev.vigil.node.http;

import static dev.vigil.node.http.ApiFixture.CHAIN;
import static dev.vigil.node.http.ApiFixture.EMITTER;
import static dev.vigil.node.http.ApiFixture.EMITTER_ADDRESS;
import static dev.vigil.node.http.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.signing.Bytes32;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-sent-event stream over a real server: fan-out, filters, replay, slow readers,
 * shutdown.
 */
class AttestationStreamIT {
  static final String STREAM = "/v1/attestations/stream";
  static final Bytes32 OTHER_EMITTER = Bytes32.fromHex("ee".repeat(32));

  @TempDir Path dir;

  @Test
  void twoSubscribersEachGetEveryNewAttestationAsTheSameJsonAsGet() throws Exception {
    try (ApiFixture api = new ApiFixture(dir);
        SseClient a = new SseClient(api.http, api.uri(STREAM), Map.of());
        SseClient b = new SseClient(api.http, api.uri(STREAM), Map.of())) {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.contentType()).startsWith("text/event-stream");
      b.awaitOpen();
      assertThat(api.api.streamSubscribers()).isEqualTo(2);
      assertThat(new String(api.metrics.scrape(), StandardCharsets.UTF_8))
          .contains("vigil_http_stream_subscribers 2.0");

      List<Attestation> sent = new ArrayList<>();
      for (long seq = 1; seq <= 5; seq++) sent.add(api.storeAndPublish(api.attest(seq)));

      for (SseClient c : List.of(a, b)) {
        List<SseClient.Event> got = c.take(5);
        for (int i = 0; i < 5; i++) {
          Attestation s = sent.get(i);
          assertThat(got.get(i).id()).isEqualTo(s.messageId().toString());
          assertThat(got.get(i).type()).isNull();
          JsonNode fromGet = json(api.get("/v1/attestations/" + s.messageId()));
          assertThat(ApiFixture.JSON.readTree(got.get(i).data())).isEqualTo(fromGet);
        }
      }
    }
  }

  @Test
  void attestationsSentToTheHubsActorReachSubscribers() {
    // how the node wires it: the consensus actor's Subscribe(ActorRef<Attestation>) gets this actor
    try (ApiFixture api = new ApiFixture(dir);
        SseClient c = new SseClient(api.http, api.uri(STREAM), Map.of())) {
      c.awaitOpen();
      ActorRef<Attestation> hubActor =
          api.system.systemActorOf(api.hub.behavior(), "attestation-hub", Props.empty());
      List<String> ids = new ArrayList<>();
      for (long seq = 1; seq <= 3; seq++) {
        Attestation a = api.store(api.attest(seq));
        hubActor.tell(a);
        ids.add(a.messageId().toString());
      }
      assertThat(c.take(3)).extracting(SseClient.Event::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void filtersKeepOnlyTheChainOrEmitterAsked() {
    try (ApiFixture api = new ApiFixture(dir);
        SseClient emitter =
            new SseClient(
                api.http, api.uri(STREAM + "?chain=2&emitter=" + EMITTER_ADDRESS), Map.of());
        SseClient chain5 = new SseClient(api.http, api.uri(STREAM + "?chain=5"), Map.of());
        SseClient all = new SseClient(api.http, api.uri(STREAM), Map.of())) {
      emitter.awaitOpen();
      chain5.awaitOpen();
      all.awaitOpen();
      Attestation mine = api.storeAndPublish(api.attest(1));
      Attestation otherEmitter =
          api.storeAndPublish(api.committee.attestQuorum(api.body(CHAIN, OTHER_EMITTER, 1, 8)));
      Attestation onChain5 =
          api.storeAndPublish(api.committee.attestQuorum(api.body(5, EMITTER, 1, 8)));

      assertThat(all.take(3))
          .extracting(SseClient.Event::id)
          .containsExactly(
              mine.messageId().toString(),
              otherEmitter.messageId().toString(),
              onChain5.messageId().toString());
      // everything published has reached "all", so anything else the filtered ones got is here too
      assertThat(emitter.take(1))
          .extracting(SseClient.Event::id)
          .containsExactly(mine.messageId().toString());
      assertThat(chain5.take(1))
          .extracting(SseClient.Event::id)
          .containsExactly(onChain5.messageId().toString());
      api.storeAndPublish(api.attest(2));
      assertThat(all.take(1))
          .extracting(SseClient.Event::id)
          .containsExactly("2/" + EMITTER.toHex() + "/2");
      assertThat(chain5.drain()).isEmpty();
      assertThat(emitter.take(1))
          .extracting(SseClient.Event::id)
          .containsExactly("2/" + EMITTER.toHex() + "/2");
    }
  }

  @Test
  void fromReplaysStoredAttestationsOfTheEmitterAcrossPagesThenGoesLive() {
    try (ApiFixture api = new ApiFixture(dir)) {
      int stored = AttestationStream.REPLAY_PAGE + 44;
      for (long seq = 0; seq < stored; seq++) api.store(api.attest(seq));
      api.store(api.committee.attestQuorum(api.body(CHAIN, OTHER_EMITTER, 5, 8)));
      try (SseClient c =
          new SseClient(
              api.http,
              api.uri(STREAM + "?chain=2&emitter=0x" + EMITTER.toHex() + "&from=3"),
              Map.of())) {
        List<SseClient.Event> replayed = c.take(stored - 3);
        for (int i = 0; i < replayed.size(); i++) {
          assertThat(replayed.get(i).id()).isEqualTo("2/" + EMITTER.toHex() + "/" + (i + 3));
        }
        Attestation live = api.storeAndPublish(api.attest(1000));
        assertThat(c.take(1))
            .extracting(SseClient.Event::id)
            .containsExactly(live.messageId().toString());
        assertThat(c.drain()).isEmpty();
      }
    }
  }

  @Test
  void lastEventIdResumesAfterThatMessage() {
    try (ApiFixture api = new ApiFixture(dir)) {
      for (long seq = 0; seq < 6; seq++) api.store(api.attest(seq));
      String url = STREAM + "?chain=2&emitter=" + EMITTER.toHex() + "&from=0";
      // what a reconnecting EventSource sends: the same URL and the last id it received
      try (SseClient c =
          new SseClient(
              api.http, api.uri(url), Map.of("Last-Event-ID", "2/" + EMITTER.toHex() + "/3"))) {
        assertThat(c.take(2))
            .extracting(SseClient.Event::id)
            .containsExactly("2/" + EMITTER.toHex() + "/4", "2/" + EMITTER.toHex() + "/5");
      }
      // an id of another emitter says nothing about this one: the explicit from applies
      try (SseClient c =
          new SseClient(
              api.http,
              api.uri(url),
              Map.of("Last-Event-ID", "2/" + OTHER_EMITTER.toHex() + "/3"))) {
        assertThat(c.take(6).get(0).id()).isEqualTo("2/" + EMITTER.toHex() + "/0");
      }
    }
  }

  @Test
  void aSlowSubscriberIsDroppedWhileOthersGetEverything() throws Exception {
    ApiFixture.Options o = new ApiFixture.Options();
    o.settings = s -> s.withStreamBuffer(16);
    try (ApiFixture api = new ApiFixture(dir, o);
        SseClient fast1 = new SseClient(api.http, api.uri(STREAM), Map.of());
        SseClient fast2 = new SseClient(api.http, api.uri(STREAM), Map.of());
        Socket slow = new Socket()) {
      fast1.awaitOpen();
      fast2.awaitOpen();
      // A reader that never reads, with a tiny receive window: the server's socket buffer fills,
      // then its stream backs up, then its queue.
      slow.setReceiveBufferSize(4096);
      slow.connect(
          new InetSocketAddress(api.api.address().getAddress(), api.api.address().getPort()), 5000);
      slow.getOutputStream()
          .write(
              ("GET "
                      + STREAM
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      waitFor(() -> api.api.streamSubscribers() == 3, "the slow subscriber to be subscribed");

      // ~20 kB per event (4 kB payload, in hex twice and base64), 400 events: ~8 MB, more than
      // any socket buffer here. Published in batches the fast readers keep up with.
      int total = 400, batch = 8;
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < total; i += batch) {
        for (int j = i; j < i + batch; j++) {
          sent.add(
              api.storeAndPublish(api.committee.attestQuorum(api.body(CHAIN, EMITTER, j, 4000)))
                  .messageId()
                  .toString());
        }
        assertThat(fast1.take(batch))
            .extracting(SseClient.Event::id)
            .containsExactlyElementsOf(sent.subList(i, i + batch));
        assertThat(fast2.take(batch))
            .extracting(SseClient.Event::id)
            .containsExactlyElementsOf(sent.subList(i, i + batch));
      }

      assertThat(api.api.streamSubscribers()).isEqualTo(2);
      assertThat(new String(api.metrics.scrape(), StandardCharsets.UTF_8))
          .contains("vigil_http_stream_dropped_total 1.0")
          .contains("vigil_http_stream_subscribers 2.0");

      // The slow reader, reading at last, finds part of the stream and then why it ended.
      String text =
          readUntil(
              slow, Pattern.compile("data: ?\\{\"error\":\"dropped\".*\\nevent: ?dropped\\n"));
      int received = text.split("\nid: ?2/", -1).length - 1;
      assertThat(received).isPositive().isLessThan(total);
      assertThat(text).contains("fell 16 attestations behind");
    }
  }

  @Test
  void streamsBeyondTheLimitAreRefusedWith503() {
    ApiFixture.Options o = new ApiFixture.Options();
    o.settings = s -> s.withMaxStreams(2);
    try (ApiFixture api = new ApiFixture(dir, o);
        SseClient a = new SseClient(api.http, api.uri(STREAM), Map.of());
        SseClient b = new SseClient(api.http, api.uri(STREAM), Map.of())) {
      a.awaitOpen();
      b.awaitOpen();
      JsonNode e = ApiFixture.assertError(api.get(STREAM), 503, "too many streams");
      assertThat(e.path("detail").asText()).contains("at most 2 attestation streams");
      // the two open streams are unaffected
      Attestation x = api.storeAndPublish(api.attest(1));
      assertThat(a.take(1).get(0).id()).isEqualTo(x.messageId().toString());
      assertThat(b.take(1).get(0).id()).isEqualTo(x.messageId().toString());
    }
  }

  @Test
  void oneClientCannotTakeEveryStream() throws IOException {
    ApiFixture.Options o = new ApiFixture.Options();
    o.settings = s -> s.withMaxStreamsPerClient(2);
    try (ApiFixture api = new ApiFixture(dir, o);
        SseClient a = new SseClient(api.http, api.uri(STREAM), Map.of());
        SseClient b = new SseClient(api.http, api.uri(STREAM), Map.of());
        Socket other = new Socket()) {
      a.awaitOpen();
      b.awaitOpen();
      JsonNode e =
          ApiFixture.assertError(api.get(STREAM), 429, "too many streams from this client");
      assertThat(e.path("detail").asText())
          .contains("at most 2 attestation streams to one client (127.0.0.1)");
      // the limit follows the connection's address, not a header the client sends
      ApiFixture.assertError(
          api.send(
              HttpRequest.newBuilder(api.uri(STREAM))
                  .header("X-Forwarded-For", "198.18.0.7")
                  .header("X-Real-IP", "198.18.0.8")
                  .GET()),
          429,
          "too many streams from this client");
      // another client (another loopback address) still gets a stream
      other.bind(new InetSocketAddress("127.0.0.2", 0));
      other.connect(
          new InetSocketAddress(api.api.address().getAddress(), api.api.address().getPort()), 5000);
      other
          .getOutputStream()
          .write(
              ("GET "
                      + STREAM
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      other.getOutputStream().flush();
      assertThat(readUntil(other, Pattern.compile("\r\n\r\n")))
          .startsWith("HTTP/1.1 200 OK")
          .contains("text/event-stream");
      waitFor(() -> api.api.streamSubscribers() == 3, "the other client to be subscribed");
      // the two open streams are unaffected
      Attestation x = api.storeAndPublish(api.attest(1));
      assertThat(a.take(1).get(0).id()).isEqualTo(x.messageId().toString());
      assertThat(b.take(1).get(0).id()).isEqualTo(x.messageId().toString());
    }
  }

  @Test
  void closedClientsAreUnsubscribed() {
    try (ApiFixture api = new ApiFixture(dir)) {
      SseClient c = new SseClient(api.http, api.uri(STREAM), Map.of()).awaitOpen();
      assertThat(api.api.streamSubscribers()).isEqualTo(1);
      c.close();
      // the server learns of the closed connection at its next write at the latest
      for (long seq = 0; seq < 50 && api.api.streamSubscribers() > 0; seq++) {
        api.storeAndPublish(api.attest(seq));
        sleep(100);
      }
      assertThat(api.api.streamSubscribers()).isZero();
      assertThat(new String(api.metrics.scrape(), StandardCharsets.UTF_8))
          .contains("vigil_http_stream_subscribers 0.0")
          .contains("vigil_http_stream_dropped_total 0.0");
    }
  }

  @Test
  void stoppingTheApiEndsOpenStreams() {
    ApiFixture api = new ApiFixture(dir);
    try (SseClient c = new SseClient(api.http, api.uri(STREAM), Map.of())) {
      c.awaitOpen();
      api.storeAndPublish(api.attest(1));
      assertThat(c.take(1)).hasSize(1);
      api.api.close();
      c.awaitEnd();
      assertThat(c.ended()).isTrue();
    } finally {
      api.close();
    }
  }

  private static String readUntil(Socket s, Pattern end) throws IOException {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (all.size() < 64 << 20) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        break;
      }
      if (n < 0) break;
      all.write(buf, 0, n);
      // chunk boundaries can split the pattern; matching the whole text each time is fine at this
      // size
      if (n < buf.length && end.matcher(all.toString(StandardCharsets.UTF_8)).find()) break;
    }
    String text = all.toString(StandardCharsets.UTF_8);
    assertThat(end.matcher(text).find())
        .as(
            "the slow reader's stream ends with the dropped notice; it ends with: %s",
            text.substring(Math.max(0, text.length() - 300)))
        .isTrue();
    return text;
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) sleep(100);
    assertThat(condition.getAsBoolean()).as("waited 30 s for " + what).isTrue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
