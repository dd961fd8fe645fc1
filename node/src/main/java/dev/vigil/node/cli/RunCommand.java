package dev.vigil.node.cli;

import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.run.GuardianRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    GuardianRuntime runtime = GuardianRuntime.start(settings, vigil.context().env());
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "vigil-shutdown"));
    runtime.awaitTermination();
    return 0;
  }
}
