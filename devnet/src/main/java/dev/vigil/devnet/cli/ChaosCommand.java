package dev.vigil.devnet.cli;

import dev.vigil.devnet.chaos.Chaos;
import dev.vigil.devnet.chaos.Report;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a devnet (free ports) with steady traffic and a seeded fault schedule: SIGKILL of up to f guardians with",
      "restart, SIGSTOP/SIGCONT of a guardian, a flaky RPC endpoint on a chain (errors, garbage, truncated, slow, dropped),",
      "network partitions between guardians (every guardian-to-guardian link runs through a TCP proxy on 127.0.0.1 that",
      "resets or black-holes it): up to f guardians cut off from the rest, and one split that leaves no side a quorum,",
      "each healed after a while (runs of 5m or more also restart cut-off guardians while they are cut off), and one",
      "phase with f+1 guardians down. Then checks safety, liveness, durability, the f+1 and split stalls, liveness",
      "while cut off and that every guardian sees every peer again after each heal, and prints a summary table."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every invariant held",
      "1:an invariant failed, or the devnet failed to start",
      "3:harness error: the run could not exercise an invariant (e.g. no message published while f+1 guardians were down)"
    })
final class ChaosCommand implements Callable<Integer> {
  @Option(
      names = "--nodes",
      defaultValue = "4",
      description = "Guardians: 4 (f = 1) or 7 (f = 2); at least 4 (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--duration",
      defaultValue = "2m",
      description = "How long traffic and faults run, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", description = "Seed of the fault schedule (default: random, printed).")
  Long seed;

  @Option(
      names = "--rate",
      defaultValue = "2",
      description = "Messages per second, both directions together (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--settle",
      defaultValue = "3m",
      description =
          "Bound for every message to be attested and delivered after the last fault (default: ${DEFAULT-VALUE}).")
  String settle;

  @Option(
      names = "--disk-size",
      defaultValue = "" + dev.vigil.testing.disk.DataDisks.DEFAULT_SIZE_MIB,
      description =
          "Each guardian's data dir on an ext4 file system of this many MiB, for the disk faults (full, read-only); "
              + "needs root and loop devices, else disk faults are skipped and the summary says why. 0: off (default: ${DEFAULT-VALUE}).")
  int diskSize;

  @Option(
      names = "--work-dir",
      description =
          "Keys, node files, data and logs (wiped at start). Default: .devnet/chaos in the repository.")
  Path workDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Path dir =
        workDir != null
            ? workDir
            : Path.of(System.getProperty("vigil.home", "."), ".devnet", "chaos");
    long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
    Duration d = parse("--duration", duration);
    if (!(rate > 0) || rate > 100)
      throw new ParameterException(
          spec.commandLine(), "--rate must be in (0, 100] messages per second, got " + rate);
    if (diskSize != 0 && diskSize < 32)
      throw new ParameterException(
          spec.commandLine(), "--disk-size must be 0 (off) or >= 32 MiB, got " + diskSize);
    Chaos.Options o;
    try {
      o =
          new Chaos.Options(
              nodes,
              d,
              s,
              rate,
              parse("--settle", settle),
              dir.toAbsolutePath().normalize(),
              System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Report r = Chaos.run(o, diskSize);
    Verdict v = verdict(r, s, dir);
    System.out.println(v.line());
    return v.exitCode();
  }

  /**
   * Exit code of a run that could not exercise an invariant (1 is an invariant failure, 2 a usage
   * error).
   */
  static final int HARNESS_ERROR = 3;

  record Verdict(int exitCode, String line) {}

  /** An invariant failure outranks a harness error: a run that saw the product fail says so. */
  static Verdict verdict(Report r, long seed, Path dir) {
    if (r.anyFailed())
      return new Verdict(
          1, "FAILED: an invariant failed (seed " + seed + ", logs in " + dir + "/logs)");
    if (!r.notExercised().isEmpty()) {
      return new Verdict(
          HARNESS_ERROR,
          "HARNESS ERROR: the run did not exercise "
              + String.join(", ", r.notExercised().stream().map(Report.Invariant::name).toList())
              + "; no invariant failed, the run proved too little (seed "
              + seed
              + ", logs in "
              + dir
              + "/logs)");
    }
    return new Verdict(0, "OK: every invariant held (seed " + seed + ")");
  }

  private Duration parse(String option, String s) {
    try {
      return DevnetCommand.parse(s);
    } catch (ParameterException e) {
      throw new ParameterException(
          spec.commandLine(), e.getMessage().replace("--duration", option));
    }
  }
}
