package dev.vigil.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the modules' benchmarks and prints their figures (machine-dependent: compare runs on one machine).",
      "With no selection, runs every benchmark."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every selected benchmark ran", "1:a benchmark failed", "2:bad options"})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--signing",
      description = "secp256k1 sign and recover, per backend (native, Bouncy Castle).")
  boolean signing;

  @Option(
      names = "--frost",
      description = {
        "FROST(secp256k1, SHA-256) threshold signing: one signer's commit and sign, the coordinator's aggregate,",
        "a verification; for 3-of-4 and 5-of-7 keys, per point backend (native, Bouncy Castle).",
        "Runs --iterations / 25 signing sessions per case."
      })
  boolean frost;

  @Option(
      names = "--storage",
      description = "RocksDB stores: synced signing records, attestation writes and reads.")
  boolean storage;

  @Option(
      names = "--consensus",
      description = "A local committee attesting messages over a real Pekko cluster.")
  boolean consensus;

  @Option(
      names = "--consensus-messages",
      paramLabel = "N",
      defaultValue = "" + ConsensusBenchmark.DEFAULT_MESSAGES,
      description = {
        "Messages each committee of --consensus attests in its measured run (and three times as many before it, to warm up).",
        "Default: ${DEFAULT-VALUE}:",
        "much shorter runs measure the JIT compiler's start-up work more than the committee."
      })
  int consensusMessages;

  @Option(
      names = "--flood",
      description = {
        "Honest throughput under a flood: members 0..2 of a local committee of 4 attest while member 3 sends invalid signatures,",
        "oversized batches and garbage; prints clean and flooded attestations/s, their ratio, and memory."
      })
  boolean flood;

  @Option(
      names = "--flood-messages",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Messages the honest members attest in each phase of --flood. Default: ${DEFAULT-VALUE}.")
  int floodMessages;

  @Option(
      names = "--flood-rate",
      paramLabel = "R",
      defaultValue = "100",
      description =
          "Hostile messages per second the attacker sends to each honest member. Default: ${DEFAULT-VALUE}.")
  double floodRate;

  @Option(
      names = "--flood-rounds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Clean/flooded pairs to run (the ratio uses the sums). Default: ${DEFAULT-VALUE}.")
  int floodRounds;

  @Option(
      names = "--flood-outsider",
      description =
          "The attacker is a node that is no member but reached the cluster (member 3 stays down).")
  boolean floodOutsider;

  @Option(
      names = "--jmh",
      description = {
        "JMH microbenchmarks, run in this process through JMH's Runner API: attestation encode/decode (13 of 19 signatures),",
        "keccak256 of a body, secp256k1 sign and recover per backend, a synced signing record and an attestation read",
        "(under --dir). Prints JMH's table: average µs per operation, with its 99.9% error."
      })
  boolean jmh;

  @Option(
      names = "--jmh-include",
      paramLabel = "REGEX",
      defaultValue = ".*",
      description =
          "Only the JMH benchmarks whose full name (e.g. dev.vigil.bench.Keccak256Jmh.hashBody) this matches. Default: all.")
  String jmhInclude;

  @Option(
      names = "--jmh-forks",
      paramLabel = "N",
      defaultValue = "" + JmhBenchmarks.Settings.DEFAULT_FORKS,
      description =
          "JVMs forked per JMH benchmark; 0 runs them in this JVM. Default: ${DEFAULT-VALUE}.")
  int jmhForks;

  @Option(
      names = "--jmh-warmups",
      paramLabel = "N",
      defaultValue = "" + JmhBenchmarks.Settings.DEFAULT_WARMUP_ITERATIONS,
      description = "JMH warm-up iterations. Default: ${DEFAULT-VALUE}.")
  int jmhWarmups;

  @Option(
      names = "--jmh-iterations",
      paramLabel = "N",
      defaultValue = "" + JmhBenchmarks.Settings.DEFAULT_ITERATIONS,
      description = "JMH measured iterations. Default: ${DEFAULT-VALUE}.")
  int jmhIterations;

  @Option(
      names = "--jmh-seconds",
      paramLabel = "S",
      defaultValue = "1",
      description = "Length of each JMH iteration, warm-up or measured. Default: ${DEFAULT-VALUE}.")
  double jmhSeconds;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      defaultValue = "5000",
      description =
          "Operations per measurement, for benchmarks that take a count (signing; frost runs a 25th as many sessions). Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Where the storage benchmarks put their (deleted) databases: the disk they measure. Default: the working directory.")
  Path dir;

  @Option(
      names = "--seconds-per-case",
      paramLabel = "S",
      defaultValue = "2",
      description = "How long each storage case runs at most. Default: ${DEFAULT-VALUE}.")
  double secondsPerCase;

  @Option(names = "--list", description = "List the benchmarks.")
  boolean list;

  @Override
  public Integer call() {
    Set<String> selected = new LinkedHashSet<>();
    if (signing) selected.add("signing");
    if (frost) selected.add("frost");
    if (storage) selected.add("storage");
    if (consensus) selected.add("consensus");
    if (flood) selected.add("flood");
    if (jmh) selected.add("jmh");
    if (iterations < 1) {
      spec.commandLine()
          .getErr()
          .println("vigil bench: --iterations must be at least 1, got " + iterations);
      return BenchMain.EXIT_USAGE;
    }
    if (!(secondsPerCase > 0) || secondsPerCase > 3600) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil bench: --seconds-per-case must be more than 0 and at most 3600, got "
                  + secondsPerCase);
      return BenchMain.EXIT_USAGE;
    }
    if (consensusMessages < 1) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil bench: --consensus-messages must be at least 1, got " + consensusMessages);
      return BenchMain.EXIT_USAGE;
    }
    if (floodMessages < 1 || !(floodRate > 0) || floodRounds < 1) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil bench: --flood-messages and --flood-rounds must be at least 1 and --flood-rate more than 0, got "
                  + floodMessages
                  + ", "
                  + floodRounds
                  + " and "
                  + floodRate);
      return BenchMain.EXIT_USAGE;
    }
    if (jmhForks < 0
        || jmhWarmups < 0
        || jmhIterations < 1
        || !(jmhSeconds > 0)
        || jmhSeconds > 3600) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil bench: --jmh-forks and --jmh-warmups must be at least 0, --jmh-iterations at least 1"
                  + " and --jmh-seconds more than 0 and at most 3600, got "
                  + jmhForks
                  + ", "
                  + jmhWarmups
                  + ", "
                  + jmhIterations
                  + " and "
                  + jmhSeconds);
      return BenchMain.EXIT_USAGE;
    }
    try {
      Pattern.compile(jmhInclude);
    } catch (PatternSyntaxException e) {
      spec.commandLine()
          .getErr()
          .println(
              "vigil bench: --jmh-include is not a regular expression: "
                  + e.getDescription()
                  + " in '"
                  + jmhInclude
                  + "'");
      return BenchMain.EXIT_USAGE;
    }
    Duration perCase = Duration.ofMillis(Math.max(1, Math.round(secondsPerCase * 1000)));
    var floodSettings = new Benchmarks.Flood(floodMessages, floodRate, floodRounds, floodOutsider);
    var jmhSettings =
        new JmhBenchmarks.Settings(
            jmhInclude,
            jmhForks,
            jmhWarmups,
            jmhIterations,
            Duration.ofMillis(Math.max(1, Math.round(jmhSeconds * 1000))),
            dir);
    Runnable restoreLogs = quietLogs();
    try {
      return Benchmarks.run(
          new Benchmarks.Settings(
              selected,
              iterations,
              dir,
              perCase,
              list,
              floodSettings,
              consensusMessages,
              jmhSettings),
          Benchmarks.all(),
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
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
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return () -> {};
    }
    // dev.vigil too: the consensus fixtures' logback-test.xml on this classpath sets it to INFO
    List<Logger> loggers =
        List.of(
            ctx.getLogger(Logger.ROOT_LOGGER_NAME),
            ctx.getLogger("org.apache.pekko"),
            ctx.getLogger("dev.vigil"));
    List<Level> levels = loggers.stream().map(Logger::getLevel).toList();
    loggers.forEach(l -> l.setLevel(Level.ERROR));
    return () -> {
      for (int i = 0; i < loggers.size(); i++) loggers.get(i).setLevel(levels.get(i));
    };
  }
}
