package dev.vigil.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the modules' benchmarks and prints their figures (machine-dependent: compare runs on one machine).",
      "With no selection, runs every benchmark this build has."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every selected benchmark ran", "1:a benchmark failed", "2:a selected benchmark is not in this build"})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--signing", description = "secp256k1 sign and recover, per backend (native, Bouncy Castle).")
  boolean signing;

  @Option(names = "--storage", description = "RocksDB stores: synced signing records, attestation writes and reads.")
  boolean storage;

  @Option(names = "--consensus", description = "A local committee attesting messages over a real Pekko cluster.")
  boolean consensus;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "5000",
      description = "Operations per measurement, for benchmarks that take a count (signing). Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
      description = "Where the storage benchmark puts its (deleted) database: the disk it measures. Default: the working directory.")
  Path dir;

  @Option(names = "--seconds-per-case", paramLabel = "S", defaultValue = "2",
      description = "How long each storage case runs at most. Default: ${DEFAULT-VALUE}.")
  double secondsPerCase;

  @Option(names = "--list", description = "List the benchmarks and whether this build has them.")
  boolean list;

  @Override
  public Integer call() {
    Set<String> selected = new LinkedHashSet<>();
    if (signing) selected.add("signing");
    if (storage) selected.add("storage");
    if (consensus) selected.add("consensus");
    if (iterations < 1) {
      spec.commandLine().getErr().println("vigil bench: --iterations must be at least 1, got " + iterations);
      return Vigil.EXIT_USAGE;
    }
    if (!(secondsPerCase > 0) || secondsPerCase > 3600) {
      spec.commandLine().getErr().println("vigil bench: --seconds-per-case must be more than 0 and at most 3600, got " + secondsPerCase);
      return Vigil.EXIT_USAGE;
    }
    Duration perCase = Duration.ofMillis(Math.max(1, Math.round(secondsPerCase * 1000)));
    return Benchmarks.run(new Benchmarks.Settings(selected, iterations, dir, perCase, list), Benchmarks.all(),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
