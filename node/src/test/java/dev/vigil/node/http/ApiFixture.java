package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.storage.VigilDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A running API over real parts: a RocksDB in a temp dir, attestations signed by a seeded test
 * committee, the hub the node publishes to, and a pekko-http server on 127.0.0.1 with a free port.
 */
final class ApiFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int CHAIN = 2;

  /** An EVM emitter: a 20-byte address left-padded to 32 bytes. */
  static final String EMITTER_ADDRESS = "0x2703483b1a5a7c577e8680de9df8be03c6f30e3c";

  static final Bytes32 EMITTER =
      Bytes32.fromHex("000000000000000000000000" + EMITTER_ADDRESS.substring(2));

  final TestCommittee committee =
      TestCommittee.create(new Random(42), 3, 4, Secp256k1Backends.preferred());
  final VigilDatabase db;
  final ActorSystem<Void> system;
  final AttestationHub hub = new AttestationHub();
  final NodeMetrics metrics = new NodeMetrics();
  HttpApi api;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random(7);

  /**
   * What a test may change; the defaults are a database check and a status read from the real
   * cursor store.
   */
  static final class Options {
    /**
     * Local by default: the consensus module's reference.conf makes every system a cluster node.
     */
    Config config = ConfigFactory.parseString("pekko.actor.provider = local");

    BiFunction<VigilDatabase, ActorSystem<?>, Readiness> readiness =
        (db, system) -> Readiness.builder().check("database", Readiness.databaseOpen(db)).build();
    BiFunction<VigilDatabase, TestCommittee, StatusSource> status = ApiFixture::statusFromStore;
    UnaryOperator<HttpApiSettings> settings = s -> s;
    Optional<SSLContext> https = Optional.empty();
  }

  ApiFixture(Path dataDir) {
    this(dataDir, new Options());
  }

  ApiFixture(Path dataDir, Options options) {
    db = VigilDatabase.open(dataDir);
    system =
        ActorSystem.create(
            Behaviors.empty(), "http-test", options.config.withFallback(ConfigFactory.load()));
    HttpApiSettings s =
        options.settings.apply(HttpApiSettings.defaults().withHost("127.0.0.1").withPort(0));
    try {
      api =
          HttpApi.start(
                  system,
                  s,
                  new HttpApi.Dependencies(
                      db.attestations(),
                      db.evidence(),
                      committee::committee,
                      options.status.apply(db, committee),
                      hub,
                      metrics,
                      options.readiness.apply(db, system)),
                  options.https)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the API did not start", e);
    }
  }

  /**
   * The status a node reports, built the way the node does from real parts: chain heights from the
   * cursor store, peers from the committee (member 0 is this node; 1 and 2 sent heartbeats, 3 did
   * not).
   */
  static StatusSource statusFromStore(VigilDatabase db, TestCommittee committee) {
    return () ->
        CompletableFuture.supplyAsync(
            () -> {
              List<NodeStatus.Chain> chains = new ArrayList<>();
              db.cursors()
                  .all()
                  .forEach(
                      (chain, cursor) ->
                          chains.add(
                              new NodeStatus.Chain(
                                  chain.intValue(), "chain-" + chain, cursor.blockNumber())));
              List<NodeStatus.Peer> peers = new ArrayList<>();
              for (int i = 1; i < committee.committee().size(); i++) {
                boolean heard = i < 3;
                peers.add(
                    new NodeStatus.Peer(
                        i,
                        committee.committee().member(i),
                        heard ? Optional.of("guardian-" + i) : Optional.empty(),
                        heard,
                        heard ? Optional.of(HEARTBEAT_AT) : Optional.empty(),
                        heard ? Map.of(CHAIN, 1000L + i) : Map.of(),
                        Map.of("signed", 10L * i)));
              }
              return new NodeStatus(
                  "guardian-0",
                  "0.1.0-test",
                  committee.committee().index(),
                  0,
                  chains,
                  peers,
                  Map.of("attestations", db.attestations().count(), "pendingLocal", 0L));
            });
  }

  static final Instant HEARTBEAT_AT = Instant.parse("2025-01-01T00:00:00Z");

  /** A message of the test emitter with a seeded payload of {@code payloadLength} bytes. */
  Body body(int chain, Bytes32 emitter, long sequence, int payloadLength) {
    byte[] payload = new byte[payloadLength];
    random.nextBytes(payload);
    return new Body(1_700_000_000L + sequence, 42, chain, emitter, sequence, 200, payload);
  }

  Attestation attest(long sequence) {
    return committee.attestQuorum(body(CHAIN, EMITTER, sequence, 40));
  }

  /**
   * Stores the attestation the way the consensus actor does (by message key, indexed by digest).
   */
  Attestation store(Attestation a) {
    db.attestations().put(a.messageId(), a.digest(), a.encode());
    return a;
  }

  /** Stores, then publishes to stream subscribers, in the order the node does. */
  Attestation storeAndPublish(Attestation a) {
    store(a);
    hub.publish(a);
    return a;
  }

  URI uri(String pathAndQuery) {
    return URI.create(api.uri() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /**
   * Asserts an error answer: the status, JSON with exactly "error" and "detail", no stack trace.
   */
  static JsonNode assertError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.path("error").asText()).isEqualTo(error);
    assertThat(body.path("detail").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("\tat ", "Exception:", ".java:");
    return body;
  }

  @Override
  public void close() {
    try {
      if (api != null) api.close();
    } finally {
      if (system != null) {
        system.terminate();
        try {
          system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("actor system did not terminate", e);
        }
      }
      if (db != null) db.close();
    }
  }
}
