package dev.vigil.consensus.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One guardian's Pekko cluster node: an actor system on 127.0.0.1 (Artery TCP) whose guardian actor
 * is the {@link ConsensusActor}. All guardians of a committee use the system name {@code vigil} and
 * list each other as seed nodes, so any of them can (re)start and find the rest.
 */
public final class GuardianNode implements AutoCloseable {
  public static final String SYSTEM_NAME = "vigil";

  private final ActorSystem<ConsensusActor.Command> system;

  private GuardianNode(ActorSystem<ConsensusActor.Command> system) {
    this.system = system;
  }

  /**
   * Starts a node.
   *
   * @param host the address to bind and advertise
   * @param port its Artery port
   * @param seedPorts ports of the committee's seed nodes on the same host (usually every member)
   * @param overrides configuration that wins over the defaults (e.g. vigil.consensus timings)
   */
  public static GuardianNode start(
      String host,
      int port,
      List<Integer> seedPorts,
      Config overrides,
      ConsensusActor.Guardian guardian) {
    String seeds =
        seedPorts.stream()
            .map(p -> "\"pekko://" + SYSTEM_NAME + "@" + host + ":" + p + "\"")
            .collect(Collectors.joining(","));
    Config config =
        overrides
            .withFallback(
                ConfigFactory.parseString(
                    "pekko.remote.artery.canonical.hostname = \""
                        + host
                        + "\"\n"
                        + "pekko.remote.artery.canonical.port = "
                        + port
                        + "\n"
                        + "pekko.cluster.seed-nodes = ["
                        + seeds
                        + "]\n"))
            .withFallback(ConfigFactory.load());
    ConsensusSettings settings = ConsensusSettings.fromConfig(config);
    return new GuardianNode(
        ActorSystem.create(ConsensusActor.create(settings, guardian), SYSTEM_NAME, config));
  }

  public ActorSystem<ConsensusActor.Command> system() {
    return system;
  }

  /** Terminates the actor system and waits for it. */
  @Override
  public void close() {
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "actor system " + system.address() + " did not terminate in 60 s", e);
    }
  }
}
