package dev.vigil.node.http;

import static dev.vigil.node.http.ApiFixture.CHAIN;
import static dev.vigil.node.http.ApiFixture.EMITTER;
import static dev.vigil.node.http.ApiFixture.EMITTER_ADDRESS;
import static dev.vigil.node.http.ApiFixture.assertError;
import static dev.vigil.node.http.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.node.metrics.PrometheusText;
import dev.vigil.node.metrics.SampleActivity;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.ChainCursor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every endpoint over a real server, a real RocksDB and attestations signed by a test committee.
 */
class HttpApiIT {
  @TempDir static Path dir;
  static ApiFixture api;
  static Attestation first;
  static Attestation big;
  static final long MAX_U64 = -1L;
  static final String E64 = EMITTER.toHex();

  @BeforeAll
  static void start() {
    api = new ApiFixture(dir.resolve("db"));
    first = api.store(api.attest(7));
    // largest sequence, longer payload: u64 printing and the payload's encoding
    big = api.store(api.committee.attestQuorum(api.body(CHAIN, EMITTER, MAX_U64, 300)));
    api.db.cursors().put(CHAIN, new ChainCursor(1234, new byte[32]));
  }

  @AfterAll
  static void stop() {
    if (api != null) api.close();
  }

  // ---------------------------------------------------------------- evidence

  @Test
  void evidenceShowsBothSignedObservationsOfAnEquivocatingMemberSoAnyoneCanCheckThem()
      throws Exception {
    Path other = dir.resolve("evidence-db");
    try (ApiFixture node = new ApiFixture(other)) {
      JsonNode none = json(node.get("/v1/evidence"));
      assertThat(none.path("total").asLong()).isZero();
      assertThat(none.path("evidence")).isEmpty();

      // member 2 signed two different bodies for message 9 of the emitter
      Body one = node.body(CHAIN, EMITTER, 9, 10);
      Body two = node.body(CHAIN, EMITTER, 9, 11);
      var first =
          dev.vigil.consensus.observation.SignedObservation.of(
              3, 2, one, node.committee.sign(2, one.digest()).signature(), Bytes32.ZERO);
      var second =
          dev.vigil.consensus.observation.SignedObservation.of(
              3, 2, two, node.committee.sign(2, two.digest()).signature(), Bytes32.ZERO);
      var member = node.committee.committee().member(2);
      node.db
          .evidence()
          .append(
              new MessageId(CHAIN, EMITTER, 9),
              member,
              dev.vigil.consensus.wire.WireCodec.encodeEquivocation(first, second));

      JsonNode got = json(node.get("/v1/evidence"));
      assertThat(got.path("total").asLong()).isEqualTo(1);
      JsonNode e = got.path("evidence").get(0);
      assertThat(e.path("message").asText()).isEqualTo(CHAIN + "/" + E64 + "/9");
      assertThat(e.path("signer").asText()).isEqualTo(member.toString());
      assertThat(e.path("signed")).hasSize(2);
      var backend = dev.vigil.signing.Secp256k1Backends.bouncyCastle();
      List<String> digests = new ArrayList<>();
      for (JsonNode so : e.path("signed")) {
        byte[] digest = Hex.decode(so.path("digest").asText());
        // what a staking participant does: recompute the digest from the body and recover the
        // signer
        Body body =
            AttestationCodec.decodeBody(Hex.decode(so.path("body").asText()))
                .toOptional()
                .orElseThrow();
        assertThat(body.digest().toBytes()).isEqualTo(digest);
        var sig = dev.vigil.signing.Signature.fromBytes(Hex.decode(so.path("signature").asText()));
        assertThat(backend.recoverAddress(digest, sig)).isEqualTo(member);
        assertThat(so.path("signerIndex").asInt()).isEqualTo(2);
        digests.add(so.path("digest").asText());
      }
      assertThat(digests).doesNotHaveDuplicates();
      // exactly what VigilStaking.submitEquivocation takes, with the encoded call
      JsonNode sub = e.path("submission");
      assertThat(sub.path("committeeIndex").asLong()).isEqualTo(3);
      assertThat(sub.path("signerIndex").asInt()).isEqualTo(2);
      assertThat(sub.path("signer").asText()).isEqualTo(member.toString());
      assertThat(sub.path("bodyA").asText()).isEqualTo("0x" + Hex.encode(one.encode()));
      assertThat(sub.path("sigB").asText())
          .isEqualTo("0x" + Hex.encode(second.signature().toBytes()));
      assertThat(sub.path("calldata").asText())
          .isEqualTo(dev.vigil.evm.EquivocationSubmission.fromJson(sub).calldata())
          .startsWith("0x");
      assertThat(e.has("incomplete")).isFalse();

      // the same member's equivocation on message 10, with its second body unknown here
      Body three = node.body(CHAIN, EMITTER, 10, 10);
      Body four = node.body(CHAIN, EMITTER, 10, 11);
      node.db
          .evidence()
          .append(
              new MessageId(CHAIN, EMITTER, 10),
              member,
              dev.vigil.consensus.wire.WireCodec.encodeEquivocation(
                  dev.vigil.consensus.observation.SignedObservation.of(
                      3,
                      2,
                      three,
                      node.committee.sign(2, three.digest()).signature(),
                      Bytes32.ZERO),
                  dev.vigil.consensus.observation.SignedObservation.of(
                          3,
                          2,
                          four,
                          node.committee.sign(2, four.digest()).signature(),
                          Bytes32.ZERO)
                      .withoutBody()));
      JsonNode incomplete = json(node.get("/v1/evidence")).path("evidence").get(1);
      assertThat(incomplete.path("submission").isNull()).isTrue();
      assertThat(incomplete.path("incomplete").asText())
          .contains("the second body (digest " + four.digest() + ") is not known here")
          .contains("peers were asked");

      assertError(node.get("/v1/evidence?limit=0"), 400, "invalid limit");
      assertError(node.get("/v1/evidence?limit=abc"), 400, "invalid limit");
      assertThat(json(node.get("/v1/evidence?limit=1")).path("evidence")).hasSize(1);
    }
  }

  // ---------------------------------------------------------------- attestations

  @Test
  void attestationByIdShowsEveryFieldAndTheExactBytes() {
    HttpResponse<String> r = api.get("/v1/attestations/2/" + E64 + "/7");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    Body b = first.body();
    assertThat(j.path("id").asText()).isEqualTo("2/" + E64 + "/7");
    assertThat(j.path("emitterChain").asInt()).isEqualTo(2);
    assertThat(j.path("emitterAddress").asText()).isEqualTo("0x" + E64);
    assertThat(j.path("sequence").asText()).isEqualTo("7");
    assertThat(j.path("digest").asText()).isEqualTo(first.digest().toHex());
    assertThat(j.path("version").asInt()).isEqualTo(1);
    assertThat(j.path("committeeIndex").asLong()).isEqualTo(3);
    assertThat(j.path("signerIndices").toString()).isEqualTo("[0,1,2]");
    assertThat(j.path("signatures")).hasSize(3);
    assertThat(j.path("signatures").get(1).path("signerIndex").asInt()).isEqualTo(1);
    assertThat(j.path("signatures").get(1).path("r").asText())
        .isEqualTo(Hex.encode0x(first.signatures().get(1).signature().r()));
    JsonNode body = j.path("body");
    assertThat(body.path("timestamp").asLong()).isEqualTo(b.timestamp());
    assertThat(body.path("nonce").asLong()).isEqualTo(42);
    assertThat(body.path("consistencyLevel").asInt()).isEqualTo(200);
    assertThat(body.path("sequence").asText()).isEqualTo("7");
    assertThat(body.path("payload").asText()).isEqualTo(Hex.encode0x(b.payload()));
    // the raw forms are the stored attestation, byte for byte, and decode to the same attestation
    byte[] fromHex = Hex.decode(j.path("hex").asText());
    byte[] fromBase64 = Base64.getDecoder().decode(j.path("base64").asText());
    assertThat(fromHex).isEqualTo(first.encode()).isEqualTo(fromBase64);
    assertThat(AttestationCodec.decode(fromHex).orElseThrow()).isEqualTo(first);
  }

  @ParameterizedTest(name = "emitter as {0}")
  @ValueSource(strings = {"full", "0x-full", "upper", "address", "0x-address", "0X-ADDRESS"})
  void emitterAcceptsFullHexOrATwentyByteAddress(String form) {
    String addr = EMITTER_ADDRESS.substring(2);
    String emitter =
        switch (form) {
          case "full" -> E64;
          case "0x-full" -> "0x" + E64;
          case "upper" -> E64.toUpperCase(Locale.ROOT);
          case "address" -> addr;
          case "0x-address" -> "0x" + addr;
          case "0X-ADDRESS" -> "0X" + addr.toUpperCase(Locale.ROOT);
          default -> throw new IllegalArgumentException(form);
        };
    HttpResponse<String> r = api.get("/v1/attestations/2/" + emitter + "/7");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("digest").asText()).isEqualTo(first.digest().toHex());
  }

  @Test
  void largestSequenceIsPrintedUnsigned() {
    HttpResponse<String> r = api.get("/v1/attestations/2/" + E64 + "/18446744073709551615");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("sequence").asText()).isEqualTo("18446744073709551615");
    assertThat(j.path("id").asText()).endsWith("/18446744073709551615");
    assertThat(Hex.decode(j.path("body").path("payload").asText())).hasSize(300);
  }

  @ParameterizedTest(name = "digest {0}")
  @ValueSource(strings = {"plain", "0x"})
  void attestationByDigestIsTheSameJson(String form) {
    String d = form.equals("0x") ? first.digest().toHex() : Hex.encode(first.digest().toBytes());
    HttpResponse<String> byDigest = api.get("/v1/attestations/by-digest/" + d);
    HttpResponse<String> byId = api.get("/v1/attestations/2/" + E64 + "/7");
    assertThat(byDigest.statusCode()).as(byDigest.body()).isEqualTo(200);
    assertThat(json(byDigest)).isEqualTo(json(byId));
  }

  @Test
  void unknownMessageIs404NamingIt() {
    JsonNode e = assertError(api.get("/v1/attestations/2/" + E64 + "/8"), 404, "not found");
    assertThat(e.path("detail").asText()).isEqualTo("no attestation for message 2/" + E64 + "/8");
    JsonNode other = assertError(api.get("/v1/attestations/4/" + E64 + "/7"), 404, "not found");
    assertThat(other.path("detail").asText()).contains("4/" + E64 + "/7");
  }

  @Test
  void unknownDigestIs404NamingIt() {
    String d = "ab".repeat(32);
    JsonNode e = assertError(api.get("/v1/attestations/by-digest/" + d), 404, "not found");
    assertThat(e.path("detail").asText()).isEqualTo("no attestation with digest 0x" + d);
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      /v1/attestations/abc/E64/1                 | 400 | invalid chain    | chain must be an unsigned 16-bit integer (0..65535), got 'abc'
      /v1/attestations/65536/E64/1               | 400 | invalid chain    | chain must be an unsigned 16-bit integer (0..65535), got '65536'
      /v1/attestations/-1/E64/1                  | 400 | invalid chain    | got '-1'
      /v1/attestations/%20/E64/1                 | 400 | invalid chain    | got ' '
      /v1/attestations/2/xyz/1                   | 400 | invalid emitter  | emitter must be hex, got 'xyz' (character 'x' at position 0)
      /v1/attestations/2/0x12g4/1                | 400 | invalid emitter  | character 'g' at position 4
      /v1/attestations/2/E63/1                   | 400 | invalid emitter  | emitter must be 64 hex digits (32 bytes) or 40 hex digits (a 20-byte address), 0x optional; got 63 digits
      /v1/attestations/2/E62/1                   | 400 | invalid emitter  | got 62 digits
      /v1/attestations/2/0x/1                    | 400 | invalid emitter  | got 0 digits
      /v1/attestations/2/E64/abc                 | 400 | invalid sequence | sequence must be an unsigned 64-bit integer, got 'abc'
      /v1/attestations/2/E64/-1                  | 400 | invalid sequence | sequence must be an unsigned 64-bit integer, got '-1'
      /v1/attestations/2/E64/+5                  | 400 | invalid sequence | got '+5'
      /v1/attestations/2/E64/1.5                 | 400 | invalid sequence | got '1.5'
      /v1/attestations/2/E64/18446744073709551616 | 400 | invalid sequence | at most 18446744073709551615
      /v1/attestations/by-digest/zz              | 400 | invalid digest   | digest must be hex, got 'zz'
      /v1/attestations/by-digest/E63             | 400 | invalid digest   | digest must be 64 hex digits (32 bytes), 0x optional; got 63 digits
      /v1/attestations/by-digest/ADDR            | 400 | invalid digest   | got 40 digits
      /v1/attestations/stream?chain=x            | 400 | invalid chain    | chain must be an unsigned 16-bit integer (0..65535), got 'x'
      /v1/attestations/stream?chain=2&emitter=q  | 400 | invalid emitter  | emitter must be hex, got 'q'
      /v1/attestations/stream?emitter=E64        | 400 | invalid stream filter | emitter needs chain
      /v1/attestations/stream?chain=2&from=5     | 400 | invalid stream filter | from needs chain and emitter
      /v1/attestations/stream?chain=2&emitter=E64&from=z | 400 | invalid from | from must be an unsigned 64-bit integer, got 'z'
      /v1/nope                                   | 404 | not found        | no endpoint at GET /v1/nope; endpoints: GET /v1/attestations/{chain}/{emitter}/{sequence}
      /nope                                      | 404 | not found        | no endpoint at GET /nope;
      /assets/other.js                           | 404 | not found        | no endpoint at GET /assets/other.js;
      /v1/attestations/2/E64                     | 404 | not found        | no endpoint at GET /v1/attestations/2/
      /v1/attestations/2/E64/1/extra             | 404 | not found        | no endpoint at GET /v1/attestations/2/
      /v1/attestations/by-digest                 | 404 | not found        | no endpoint at GET /v1/attestations/by-digest;
      /v1/committee/3                            | 404 | not found        | no endpoint at GET /v1/committee/3
      /metrics/                                  | 404 | not found        | no endpoint at GET /metrics/
      """)
  void badPathsAndIdsGetAJsonErrorNamingTheProblem(
      String path, int status, String error, String detail) {
    String p =
        path.replace("E64", E64)
            .replace("E63", E64.substring(1))
            .replace("E62", E64.substring(2))
            .replace("ADDR", EMITTER_ADDRESS.substring(2));
    JsonNode e = assertError(api.get(p), status, error);
    assertThat(e.path("detail").asText()).contains(detail);
  }

  @Test
  void hostileInputIsEchoedShortened() {
    String huge = "z".repeat(1500);
    JsonNode e =
        assertError(api.get("/v1/attestations/2/" + E64 + "/" + huge), 400, "invalid sequence");
    assertThat(e.path("detail").asText()).hasSizeLessThan(200).contains("(1500 chars)");
  }

  @Test
  void requestTooMalformedForTheRoutesStillGetsJson() {
    // rejected by the HTTP parser (2 KiB URI limit), before any route runs
    JsonNode e =
        assertError(
            api.get("/v1/attestations/2/" + E64 + "/" + "1".repeat(5000)), 414, "uri too long");
    assertThat(e.path("detail").asText()).contains("URI length exceeds");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      textBlock =
          """
      POST,   /v1/committee
      DELETE, /v1/attestations/2/E64/7
      PUT,    /v1/attestations/by-digest/0000000000000000000000000000000000000000000000000000000000000000
      POST,   /v1/attestations/stream
      POST,   /v1/status
      PUT,    /metrics
      POST,   /healthz
      DELETE, /readyz
      """)
  void wrongMethodIs405WithAllow(String method, String path) {
    HttpResponse<String> r =
        api.send(
            HttpRequest.newBuilder(api.uri(path.replace("E64", E64)))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")));
    JsonNode e = assertError(r, 405, "method not allowed");
    assertThat(e.path("detail").asText())
        .startsWith(method + " is not allowed on /")
        .endsWith("allowed: GET");
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void storedBytesThatDoNotDecodeAre500WithoutAStackTrace() {
    MessageId key = new MessageId(CHAIN, EMITTER, 99);
    api.db.attestations().put(key, Digest.wrap(new byte[32]), new byte[] {9, 9, 9});
    JsonNode e =
        assertError(api.get("/v1/attestations/2/" + E64 + "/99"), 500, "corrupt attestation");
    assertThat(e.path("detail").asText()).contains("2/" + E64 + "/99").contains("WRONG_VERSION");
  }

  // ---------------------------------------------------------------- committee, status, health

  @Test
  void committeeListsMembersWithTheirIndexAndTheQuorum() {
    HttpResponse<String> r = api.get("/v1/committee");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("index").asLong()).isEqualTo(3);
    assertThat(j.path("size").asInt()).isEqualTo(4);
    assertThat(j.path("quorum").asInt()).isEqualTo(3);
    List<String> addresses = new ArrayList<>();
    for (JsonNode m : j.path("members")) {
      assertThat(m.path("index").asInt()).isEqualTo(addresses.size());
      addresses.add(m.path("address").asText());
    }
    assertThat(addresses)
        .containsExactlyElementsOf(
            api.committee.committee().members().stream().map(a -> a.toChecksumHex()).toList());
  }

  @Test
  void statusShowsNodeChainsPeersAndCounts() {
    HttpResponse<String> r = api.get("/v1/status");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("nodeName").asText()).isEqualTo("guardian-0");
    assertThat(j.path("version").asText()).isEqualTo("0.1.0-test");
    assertThat(j.path("committeeIndex").asLong()).isEqualTo(3);
    assertThat(j.path("chains")).hasSize(1);
    assertThat(j.path("chains").get(0).path("chainId").asInt()).isEqualTo(2);
    assertThat(j.path("chains").get(0).path("height").asLong()).isEqualTo(1234);
    JsonNode peers = j.path("peers");
    assertThat(peers).hasSize(3);
    assertThat(peers.get(0).path("signerIndex").asInt()).isEqualTo(1);
    assertThat(peers.get(0).path("address").asText())
        .isEqualTo(api.committee.committee().member(1).toChecksumHex());
    assertThat(peers.get(0).path("nodeName").asText()).isEqualTo("guardian-1");
    assertThat(peers.get(0).path("lastHeartbeat").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(peers.get(0).path("lastHeartbeatAgeMillis").asLong()).isPositive();
    assertThat(peers.get(0).path("heights").path("2").asLong()).isEqualTo(1001);
    assertThat(peers.get(2).path("reachable").asBoolean()).isFalse();
    assertThat(peers.get(2).path("lastHeartbeat").isNull()).isTrue();
    assertThat(j.path("counts").path("attestations").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void statusThatFailsIs503Json(@TempDir Path other) {
    ApiFixture.Options o = new ApiFixture.Options();
    o.status =
        (db, c) ->
            () ->
                CompletableFuture.failedFuture(
                    new IllegalStateException("consensus actor is gone"));
    try (ApiFixture failing = new ApiFixture(other, o)) {
      JsonNode e = assertError(failing.get("/v1/status"), 503, "status unavailable");
      assertThat(e.path("detail").asText()).contains("consensus actor is gone");
    }
  }

  @Test
  void metricsAreValidPrometheusTextWithTheNodesCounters() {
    SampleActivity.record(api.metrics);
    HttpResponse<String> r = api.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=UTF-8");
    PrometheusText.Exposition e = PrometheusText.parse(r.body());
    SampleActivity.assertScraped(e);
    assertThat(e.types())
        .containsKeys("vigil_http_stream_subscribers", "vigil_http_stream_dropped_total");
  }

  @Test
  void aRequestThatOutlivesTheServersTimeoutGetsJson(@TempDir Path other) {
    ApiFixture.Options o = new ApiFixture.Options();
    o.config =
        com.typesafe.config.ConfigFactory.parseString("pekko.http.server.request-timeout = 300ms")
            .withFallback(o.config);
    CompletableFuture<NodeStatus> never = new CompletableFuture<>();
    o.status = (db, c) -> () -> never;
    try (ApiFixture slow = new ApiFixture(other, o)) {
      JsonNode e = assertError(slow.get("/v1/status"), 503, "timeout");
      assertThat(e.path("detail").asText())
          .isEqualTo("the node did not answer GET /v1/status in time");
    }
  }

  @Test
  void aTakenPortFailsTheStartNamingTheAddress() {
    int port = api.api.address().getPort();
    HttpApi.Dependencies deps =
        new HttpApi.Dependencies(
            api.db.attestations(),
            api.db.evidence(),
            api.committee::committee,
            ApiFixture.statusFromStore(api.db, api.committee),
            new AttestationHub(),
            new dev.vigil.node.metrics.NodeMetrics(),
            Readiness.builder().build());
    var start =
        HttpApi.start(api.system, HttpApiSettings.defaults().withPort(port), deps)
            .toCompletableFuture();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> start.get(30, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .cause()
        .hasMessageStartingWith("the HTTP API cannot listen on 127.0.0.1:" + port + ": ");
    // the running API is unaffected
    assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void healthzIsUp() {
    HttpResponse<String> r = api.get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("status").asText()).isEqualTo("up");
  }

  @Test
  void anotherEmitterOnTheSameChainIsNotConfused() {
    Bytes32 other = Bytes32.fromHex("ff".repeat(32));
    Attestation a = api.store(api.committee.attestQuorum(api.body(CHAIN, other, 7, 10)));
    JsonNode j = json(api.get("/v1/attestations/2/" + other.toHex() + "/7"));
    assertThat(j.path("digest").asText())
        .isEqualTo(a.digest().toHex())
        .isNotEqualTo(first.digest().toHex());
  }
}
