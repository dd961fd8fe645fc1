package dev.vigil.node.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vigil.node.config.NodeFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vigil run` in a process of its own, whose cluster node is marked Down by another node of the
 * cluster (here one that joined through plain TCP, which is what a guardian without TLS allows).
 * The guardian must not stop: it rejoins with a new cluster node by itself, says so in its log, and
 * still exits 0 when its operator stops it.
 */
public class GuardianRejoinIT {
  @TempDir Path dir;

  @Test
  void aGuardianMarkedDownByAnotherNodeRejoinsByItselfAndSaysSo() throws Exception {
    int clusterPort = freePort();
    int httpPort = freePort();
    NodeFiles files = NodeFiles.create(dir);
    Path node =
        files.with(
            """
        vigil.node.cluster { port = %d, seed-nodes = ["127.0.0.1:%d"] }
        vigil.node.http.port = %d
        vigil.node.chains.alpha.rpc-urls = ["http://127.0.0.1:%d"]
        vigil.node.chains.beta.rpc-urls = ["http://127.0.0.1:%d"]
        """
                .formatted(clusterPort, clusterPort, httpPort, freePort(), freePort()));
    Path log = dir.resolve("g0.log");
    HttpClient http = HttpClient.newHttpClient();
    URI health = URI.create("http://127.0.0.1:" + httpPort + "/healthz");
    Process g0 = vigil(log, "run", "--config", node.toString(), "--unsafe-allow-dev-keys");
    try {
      await("the guardian's API answers", () -> answers(http, health), g0, log);

      ActorSystem other =
          ActorSystem.create(
              "vigil",
              ConfigFactory.parseString(
                      """
          pekko.actor.provider = cluster
          pekko.loglevel = WARNING
          pekko.remote.artery.transport = tcp
          pekko.remote.artery.canonical { hostname = 127.0.0.1, port = %d }
          pekko.cluster.seed-nodes = ["pekko://vigil@127.0.0.1:%d"]
          pekko.cluster.jmx.enabled = off
          """
                          .formatted(freePort(), clusterPort))
                  .withFallback(ConfigFactory.load()));
      try {
        Cluster cluster = Cluster.get(other);
        await(
            "the other node is Up in the guardian's cluster",
            () -> cluster.selfMember().status() == MemberStatus.up(),
            g0,
            log);
        Address guardian = new Address("pekko", "vigil", "127.0.0.1", clusterPort);
        cluster.down(guardian);
        await(
            "the guardian logs that it was removed and rejoins",
            () -> read(log).contains("was removed from the cluster"),
            g0,
            log);
        await(
            "the guardian's API answers again after the rejoin",
            () ->
                read(log).contains("up: cluster 127.0.0.1:" + clusterPort)
                    && read(log).split("up: cluster 127.0.0.1:" + clusterPort, -1).length >= 3
                    && answers(http, health),
            g0,
            log);
        assertThat(g0.isAlive()).as("the guardian process is still running").isTrue();
      } finally {
        other.terminate();
      }
      g0.destroy(); // SIGTERM, as a service manager stops it
      assertThat(g0.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      // a JVM that SIGTERM stops exits 143 (128 + 15) whatever main returns; never the failure
      // status 1
      assertThat(g0.exitValue()).as("stopped by its operator (SIGTERM)").isIn(0, 143);
    } finally {
      g0.destroyForcibly();
    }
  }

  /** `vigil ARGS` in a JVM of its own on this test's classpath, output appended to {@code log}. */
  public static Process vigil(Path log, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vigil.node.cli.Vigil"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(NodeFiles.env());
    return pb.start();
  }

  public static boolean answers(HttpClient http, URI uri) {
    try {
      return http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  static void await(String what, BooleanSupplier cond, Process p, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!cond.getAsBoolean()) {
      if (!p.isAlive())
        throw new AssertionError(what + ": the guardian exited. Its log:\n" + read(log));
      if (System.nanoTime() > deadline)
        throw new AssertionError(
            "not within 120 s: " + what + ". The guardian's log:\n" + read(log));
      Thread.sleep(200);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
