package dev.vigil.node.http;

import static dev.vigil.node.http.ApiFixture.assertError;
import static dev.vigil.node.http.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /readyz over real parts: the RocksDB the node opened, the node's own Pekko cluster membership (a
 * real cluster on 127.0.0.1, joined during the test), and a chain RPC check.
 */
class ReadinessIT {
  @TempDir Path dir;

  @Test
  void readyzFlipsFrom503To200WhenTheClusterIsJoinedAndRpcAnswers() {
    // What the chain observer maintains: whether its last call to the chain's RPC succeeded.
    AtomicBoolean rpcAnswering = new AtomicBoolean(false);
    ApiFixture.Options o = new ApiFixture.Options();
    o.config =
        ConfigFactory.parseString(
            """
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.enabled = off
        """);
    o.readiness =
        (db, system) ->
            Readiness.builder()
                .check("database", Readiness.databaseOpen(db))
                .check("cluster", Readiness.clusterMemberUp(system))
                .check(
                    "rpc:2",
                    () ->
                        rpcAnswering.get()
                            ? Readiness.Result.ready("eth_blockNumber answered")
                            : Readiness.Result.notReady(
                                "eth_blockNumber failed: connection refused"))
                .build();
    try (ApiFixture api = new ApiFixture(dir, o)) {
      JsonNode notReady = assertError(api.get("/readyz"), 503, "not ready");
      assertThat(notReady.path("detail").asText()).isEqualTo("failing checks: cluster, rpc:2");
      assertThat(notReady.path("ready").asBoolean()).isFalse();
      assertThat(checks(notReady)).containsExactly("database=true", "cluster=false", "rpc:2=false");
      assertThat(notReady.path("checks").get(0).path("detail").asText()).startsWith("open at ");
      assertThat(notReady.path("checks").get(1).path("detail").asText())
          .contains("not Up (cluster not joined)");
      assertThat(notReady.path("checks").get(2).path("detail").asText())
          .isEqualTo("eth_blockNumber failed: connection refused");
      // liveness does not depend on readiness
      assertThat(api.get("/healthz").statusCode()).isEqualTo(200);

      Cluster cluster = Cluster.get(api.system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      rpcAnswering.set(true);
      HttpResponse<String> r = null;
      for (int i = 0; i < 100; i++) {
        r = api.get("/readyz");
        if (r.statusCode() == 200) break;
        sleep(200);
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode ready = json(r);
      assertThat(ready.path("ready").asBoolean()).isTrue();
      assertThat(ready.has("error")).isFalse();
      assertThat(checks(ready)).containsExactly("database=true", "cluster=true", "rpc:2=true");
      assertThat(ready.path("checks").get(1).path("detail").asText())
          .startsWith("member Up at pekko://http-test@127.0.0.1:");

      // and back: one failing check is enough, and only it is named
      rpcAnswering.set(false);
      JsonNode again = assertError(api.get("/readyz"), 503, "not ready");
      assertThat(again.path("detail").asText()).isEqualTo("failing checks: rpc:2");
    }
  }

  @Test
  void aClosedDatabaseAndAHangingCheckAreNotReady() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ApiFixture.Options o = new ApiFixture.Options();
    o.settings = s -> s.withReadinessDeadline(java.time.Duration.ofMillis(300));
    dev.vigil.storage.VigilDatabase closed =
        dev.vigil.storage.VigilDatabase.open(dir.resolve("closed"));
    closed.close();
    o.readiness =
        (db, system) ->
            Readiness.builder()
                .check("database", Readiness.databaseOpen(closed))
                .check(
                    "rpc:5",
                    () -> {
                      release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                      return Readiness.Result.ready("late");
                    })
                .build();
    try (ApiFixture api = new ApiFixture(dir.resolve("db"), o)) {
      JsonNode e = assertError(api.get("/readyz"), 503, "not ready");
      assertThat(e.path("detail").asText()).isEqualTo("failing checks: database, rpc:5");
      assertThat(e.path("checks").get(0).path("detail").asText())
          .endsWith("/closed is closed; cannot iterate column cursors");
      assertThat(e.path("checks").get(1).path("detail").asText())
          .isEqualTo("did not answer within 300 ms");
    } finally {
      release.countDown();
    }
  }

  private static List<String> checks(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : body.path("checks"))
      out.add(c.path("name").asText() + "=" + c.path("ready").asBoolean());
    return out;
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
