package dev.vigil.bench;

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

  @Option(names = "--consensus-messages", paramLabel = "N", defaultValue = "" + ConsensusBenchmark.DEFAULT_MESSAGES,
      description = {
          "Messages each committee of --consensus attests in its measured run (and three times as many before it, to warm up).",
          "Default: ${DEFAULT-VALUE}:",
          "much shorter runs measure the JIT compiler's start-up work more than the committee."})
  int consensusMessages;

  @Option(names = "--flood", description = {
      "Honest throughput under a flood: members 0..2 of a local committee of 4 attest while member 3 sends invalid signatures,",
      "oversized batches and garbage; prints clean and flooded attestations/s, their ratio, and memory."})
  boolean flood;

  @Option(names = "--flood-messages", paramLabel = "N", defaultValue = "2000",
      description = "Messages the honest members attest in each phase of --flood. Default: ${DEFAULT-VALUE}.")
  int floodMessages;

  @Option(names = "--flood-rate", paramLabel = "R", defaultValue = "100",
      description = "Hostile messages per second the attacker sends to each honest member. Default: ${DEFAULT-VALUE}.")
  double floodRate;

  @Option(names = "--flood-rounds", paramLabel = "N", defaultValue = "1",
      description = "Clean/flooded pairs to run (the ratio uses the sums). Default: ${DEFAULT-VALUE}.")
  int floodRounds;

  @Option(names = "--flood-outsider", description = "The attacker is a node that is no member but reached the cluster (member 3 stays down).")
  boolean floodOutsider;

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
    if (flood) selected.add("flood");
    if (iterations < 1) {
      spec.commandLine().getErr().println("vigil bench: --iterations must be at least 1, got " + iterations);
      return BenchMain.EXIT_USAGE;
    }
    if (!(secondsPerCase > 0) || secondsPerCase > 3600) {
      spec.commandLine().getErr().println("vigil bench: --seconds-per-case must be more than 0 and at most 3600, got " + secondsPerCase);
      return BenchMain.EXIT_USAGE;
    }
    if (consensusMessages < 1) {
      spec.commandLine().getErr().println("vigil bench: --consensus-messages must be at least 1, got " + consensusMessages);
      return BenchMain.EXIT_USAGE;
    }
    if (floodMessages < 1 || !(floodRate > 0) || floodRounds < 1) {
      spec.commandLine().getErr().println("vigil bench: --flood-messages and --flood-rounds must be at least 1 and --flood-rate more than 0, got "
          + floodMessages + ", " + floodRounds + " and " + floodRate);
      return BenchMain.EXIT_USAGE;
    }
    Duration perCase = Duration.ofMillis(Math.max(1, Math.round(secondsPerCase * 1000)));
    var floodSettings = new Benchmarks.Flood(floodMessages, floodRate, floodRounds, floodOutsider);
    Runnable restoreLogs = quietLogs();
    try {
      return Benchmarks.run(new Benchmarks.Settings(selected, iterations, dir, perCase, list, floodSettings, consensusMessages),
          Benchmarks.all(), spec.commandLine().getOut(), spec.commandLine().getErr());
    } finally {
      restoreLogs.run();
    }
  }

  /**
   * The benchmarks' committees log to stdout, where the figures go: while they run only errors are
   * logged, unless VIGIL_LOG_LEVEL asks for a level. Returns what puts the levels back.
   */
  private static Runnable quietLogs() {
    if (System.getenv("VIGIL_LOG_LEVEL") != null
        || !(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx)) {
      return () -> {};
    }
    var loggers = java.util.List.of(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), ctx.getLogger("org.apache.pekko"));
    var levels = loggers.stream().map(ch.qos.logback.classic.Logger::getLevel).toList();
    loggers.forEach(l -> l.setLevel(ch.qos.logback.classic.Level.ERROR));
    return () -> {
      for (int i = 0; i < loggers.size(); i++) loggers.get(i).setLevel(levels.get(i));
    };
  }
}
