package dev.vigil.node.cli;

import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.run.GuardianRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
    exitCodeList = {"0:stopped normally", "1:failed at start (the message says why)", "2:the configuration is unusable"})
final class RunCommand implements Callable<Integer> {
  @ParentCommand Vigil vigil;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node file.")
  Path config;

  @Override
  public Integer call() {
    NodeSettings settings = NodeSettings.load(config, new LoadOptions(true, vigil.context().env()));
    AtomicReference<GuardianRuntime> current = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (current) {
        stopping.set(true);
        if (current.get() != null) current.get().close();
      }
    }, "vigil-shutdown"));
    while (true) { // bounded by islands: each turn is a cluster found apart from the committee's
      GuardianRuntime runtime;
      synchronized (current) {
        if (stopping.get()) return 0;
        runtime = GuardianRuntime.start(settings, vigil.context().env());
        current.set(runtime);
      }
      if (!runtime.awaitStop()) return 0;
      synchronized (current) {
        if (stopping.get()) return 0;
        // an island: a new cluster node (a new incarnation) joins the committee's cluster through the seeds
        runtime.close();
        current.set(null);
      }
    }
  }
}
