package dev.vigil.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.keystore.DevKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guardians started from their node files' actorSystemConfig() find each other through the seed
 * nodes and form one Pekko cluster on the configured addresses: the settings are enough for `vigil
 * run` to start its ActorSystem.
 */
class NodeActorSystemIT {
  private final List<ActorSystem<?>> systems = new ArrayList<>();

  @AfterEach
  void stop() {
    for (ActorSystem<?> s : systems) {
      s.terminate();
      s.getWhenTerminated()
          .toCompletableFuture()
          .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
          .join();
    }
  }

  @Test
  void threeGuardiansFormOneClusterOnTheirConfiguredPorts(@TempDir Path tmp) throws Exception {
    int n = 3;
    int[] ports = freePorts(n);
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < n; i++)
      members.append(i == 0 ? "" : ", ").append('"').append(DevKeys.address(i)).append('"');
    Files.writeString(
        tmp.resolve("committee.conf"),
        """
        vigil.node {
          committee { index = 0, members = [%s] }
          governance { chain = 1, address = "0x0000000000000000000000000000000000000000000000000000000000000004" }
          chains.alpha { id = 1, rpc-urls = ["http://127.0.0.1:1"], core-address = "0x5FbDB2315678afecb367f032d93F642f64180aa3" }
          cluster { system-name = "vigil-it", seed-nodes = ["127.0.0.1:%d", "127.0.0.1:%d"] }
        }
        pekko.loglevel = "WARNING"
        pekko.coordinated-shutdown.exit-jvm = off
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        """
            .formatted(members, ports[0], ports[1]));
    List<NodeSettings> settings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path f = tmp.resolve("g" + i + ".conf");
      Files.writeString(
          f,
          """
          include required("committee.conf")
          vigil.node { name = "g%d", data-dir = "data/g%d", key.file = "keys/g%d.json", cluster.port = %d, http.port = 0 }
          """
              .formatted(i, i, i, ports[i]));
      settings.add(NodeSettings.load(f, new LoadOptions(false, Map.of())));
    }
    // the last guardian starts first: it waits for the seeds, which is what real operators see
    for (int i = n - 1; i >= 0; i--) {
      NodeSettings s = settings.get(i);
      systems.add(
          ActorSystem.create(Behaviors.empty(), s.cluster().systemName(), s.actorSystemConfig()));
    }

    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline) && !allUp(n)) Thread.sleep(200);
    assertThat(allUp(n)).as("all %d guardians Up within 60 s", n).isTrue();

    for (ActorSystem<?> s : systems) {
      assertThat(s.name()).isEqualTo("vigil-it");
      int port = (int) Cluster.get(s).selfMember().address().getPort().get();
      assertThat(ports).contains(port);
      assertThat(Cluster.get(s).selfMember().address().getHost().get()).isEqualTo("127.0.0.1");
    }
  }

  private boolean allUp(int n) {
    for (ActorSystem<?> s : systems) {
      var members = new ArrayList<org.apache.pekko.cluster.Member>();
      Cluster.get(s).state().getMembers().forEach(members::add);
      if (members.size() != n || !members.stream().allMatch(m -> m.status() == MemberStatus.up()))
        return false;
    }
    return true;
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        open.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : open) s.close();
    }
    return ports;
  }
}
