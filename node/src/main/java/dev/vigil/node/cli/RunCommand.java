package dev.vigil.node.cli;

import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeConfigException;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.run.GuardianRuntime;
import dev.vigil.signing.Address;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one guardian of a committee: its chain observers, consensus over the Pekko cluster, storage and HTTP API,",
      "as configured in FILE (see cluster-configs/ and node/src/main/resources/reference.conf). Ctrl-C or SIGTERM stops it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped normally (SIGTERM, Ctrl-C)",
      "1:failed at start, or stopped without being asked to (the log says why)",
      "2:the configuration is unusable",
      "3:this guardian is not in its committee any more (removed by a rotation): it does not sign"
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  @ParentCommand Vigil vigil;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node file.")
  Path config;

  @Option(
      names = "--unsafe-allow-dev-keys",
      description =
          "Run with one of the public dev keys (vigil keygen --dev-index), which anyone can sign with. Local devnets only.")
  boolean allowDevKeys;

  @Override
  public Integer call() throws InterruptedException, IOException {
    NodeSettings settings = NodeSettings.load(config, new LoadOptions(true, vigil.context().env()));
    Address key = KeyFile.declaredAddress(settings.key().file());
    if (key != null && DevKeys.isDevKey(key)) {
      if (!allowDevKeys) {
        throw new NodeConfigException(
            settings.file(),
            List.of(
                new NodeConfigException.Problem(
                    "vigil.node.key.file",
                    "key file "
                        + settings.key().file()
                        + " holds public dev key "
                        + key.toChecksumHex()
                        + ", which anyone can sign with; use a key from vigil keygen, or --unsafe-allow-dev-keys for a local devnet")));
      }
      log.warn(
          "guardian {} runs with public dev key {} (--unsafe-allow-dev-keys): anyone can sign as this guardian; local devnets only",
          settings.name(),
          key.toChecksumHex());
    }
    AtomicReference<GuardianRuntime> current = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  synchronized (current) {
                    stopping.set(true);
                    if (current.get() != null) current.get().close();
                  }
                },
                "vigil-shutdown"));
    Rejoins rejoins = new Rejoins(REJOIN_FIRST, REJOIN_MAX, REJOIN_STABLE);
    boolean afterRotation = false;
    int restarts = -1;
    while (true) { // each turn is a new cluster node: after an island, or after the cluster removed
      // this one
      GuardianRuntime runtime;
      restarts++;
      synchronized (current) {
        if (stopping.get()) return 0;
        try {
          runtime = start(settings, afterRotation, restarts > 0);
        } catch (GuardianRuntime.NotAMemberException e) {
          log.error(
              "guardian {}: {}; exiting with status {}",
              settings.name(),
              e.getMessage(),
              Vigil.EXIT_NOT_A_MEMBER);
          return Vigil.EXIT_NOT_A_MEMBER;
        }
        current.set(runtime);
      }
      long startedAt = System.nanoTime();
      GuardianRuntime.Stop stop = runtime.awaitStop();
      synchronized (current) {
        if (stopping.get()) return 0;
        runtime.close();
        current.set(null);
      }
      afterRotation = stop == GuardianRuntime.Stop.ROTATED;
      switch (stop) {
        case TERMINATED -> {
          // nobody asked: a service manager that restarts on failure must see one
          log.error(
              "guardian {} stopped although no operator asked it to (its actor system ended); exiting with status {}",
              settings.name(),
              Vigil.EXIT_FAILED);
          return Vigil.EXIT_FAILED;
        }
        case ROTATED ->
            log.info(
                "guardian {}: its committee was rotated; it starts again on the new committee",
                settings.name());
        case RETIRED -> {
          log.error(
              "guardian {}: the committee rotated and this guardian is not in the new committee; it stops signing and exits with status {}."
                  + " Its data dir keeps what it attested; remove it from the committee's seeds and retire the host",
              settings.name(),
              Vigil.EXIT_NOT_A_MEMBER);
          return Vigil.EXIT_NOT_A_MEMBER;
        }
        case ISLAND ->
            log.info(
                "guardian {}: a new cluster node joins the committee's cluster through the seeds",
                settings.name());
        case REMOVED -> {
          Duration wait = rejoins.next(Duration.ofNanos(System.nanoTime() - startedAt));
          log.warn(
              "guardian {} was removed from the cluster (marked Down by a member, or made to leave) without its operator; "
                  + "it rejoins by itself with a new cluster node in {} ms (rejoin {} since it last ran {} s undisturbed)",
              settings.name(),
              wait.toMillis(),
              rejoins.count(),
              REJOIN_STABLE.toSeconds());
          Thread.sleep(wait.toMillis());
        }
      }
    }
  }

  /**
   * Starts a runtime; when it starts again in this process (after a rotation, an island or a
   * removal), a cluster or HTTP port that the previous runtime's sockets still hold is waited for,
   * up to {@link #REBIND_WAIT}, rather than ending the guardian.
   */
  private GuardianRuntime start(NodeSettings settings, boolean afterRotation, boolean restart)
      throws InterruptedException {
    long deadline = System.nanoTime() + REBIND_WAIT.toNanos();
    while (true) {
      try {
        return GuardianRuntime.start(settings, vigil.context().env(), afterRotation);
      } catch (GuardianRuntime.NotAMemberException e) {
        throw e;
      } catch (RuntimeException e) {
        if (!restart || !portInUse(e) || System.nanoTime() > deadline) throw e;
        log.warn(
            "guardian {}: a port is still held by the runtime that just stopped ({}); starting again in 1 s",
            settings.name(),
            e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  static final Duration REBIND_WAIT = Duration.ofSeconds(60);

  private static boolean portInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) return true;
      if (t.getMessage() != null && t.getMessage().contains("Address already in use")) return true;
    }
    return false;
  }

  static final Duration REJOIN_FIRST = Duration.ofSeconds(1);
  static final Duration REJOIN_MAX = Duration.ofMinutes(1);

  /** A run this long resets the rejoin backoff. */
  static final Duration REJOIN_STABLE = Duration.ofMinutes(10);

  /**
   * Delays between rejoins after removals: doubling from {@code first} up to {@code max}, so that a
   * member that keeps downing this guardian cannot make it spin, and back to {@code first} after a
   * run of {@code stable} or more.
   */
  static final class Rejoins {
    private final Duration first;
    private final Duration max;
    private final Duration stable;
    private int count;

    Rejoins(Duration first, Duration max, Duration stable) {
      this.first = first;
      this.max = max;
      this.stable = stable;
    }

    /** The wait before the next rejoin, after a run that lasted {@code ran}. */
    Duration next(Duration ran) {
      if (ran.compareTo(stable) >= 0) count = 0;
      count++;
      Duration d = first;
      for (int i = 1; i < count && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
      return d.compareTo(max) > 0 ? max : d;
    }

    int count() {
      return count;
    }
  }
}
