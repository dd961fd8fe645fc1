package dev.vigil.relayer;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.node.http.AttestationHub;
import dev.vigil.node.http.HttpApi;
import dev.vigil.node.http.HttpApiSettings;
import dev.vigil.node.http.Readiness;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.storage.VigilDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The part of a guardian node a relayer talks to, over real parts: the node's HTTP API on 127.0.0.1
 * serving a RocksDB attestation store in a temp dir, and the hub the consensus actor publishes new
 * attestations to. Its API can be stopped and started again on the same port.
 */
final class TestNode implements AutoCloseable {
  private final ActorSystem<?> system;
  private final TestCommittee committee;
  private final VigilDatabase db;
  private final AttestationHub hub = new AttestationHub();
  private final NodeMetrics metrics = new NodeMetrics();
  private HttpApiSettings settings;
  private HttpApi api;

  TestNode(ActorSystem<?> system, TestCommittee committee, Path dir) {
    this.system = system;
    this.committee = committee;
    this.db = VigilDatabase.open(dir);
    // keep-alives often, so that the relayer's idle timeout can be short in tests
    this.settings =
        HttpApiSettings.defaults()
            .withHost("127.0.0.1")
            .withPort(0)
            .withStreamKeepAlive(Duration.ofSeconds(1));
    startApi();
  }

  /** Starts the API (again), on the port it had before if it ran already. */
  void startApi() {
    try {
      api =
          HttpApi.start(
                  system,
                  settings,
                  new HttpApi.Dependencies(
                      db.attestations(),
                      db.evidence(),
                      committee::committee,
                      () ->
                          CompletableFuture.failedFuture(
                              new UnsupportedOperationException("no status in relayer tests")),
                      hub,
                      metrics,
                      Readiness.builder().build()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the node's API did not start", e);
    }
    settings = settings.withPort(api.address().getPort());
  }

  /** Stops the API: open streams end, new connections are refused. The store stays. */
  void stopApi() {
    if (api != null) api.close();
    api = null;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + settings.port());
  }

  int streamSubscribers() {
    return api == null ? 0 : api.streamSubscribers();
  }

  /** Stores an attestation the way the consensus actor does (by message id, indexed by digest). */
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

  @Override
  public void close() {
    try {
      stopApi();
    } finally {
      db.close();
    }
  }
}
