package dev.vigil.bench;

import com.typesafe.config.ConfigFactory;
import dev.vigil.signing.Secp256k1Backends;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The benchmarks `vigil bench` knows, all in this module; adding one is one entry in {@link
 * #all()}.
 */
final class Benchmarks {
  /**
   * @param iterations operations per measurement, for signing (frost runs a 25th as many sessions)
   * @param dir where the storage benchmark creates (and deletes) its database: the disk it measures
   * @param timePerCase how long each storage case runs at most
   * @param jmh what the JMH microbenchmarks run and how long
   */
  record Settings(
      Set<String> selected,
      int iterations,
      Path dir,
      Duration timePerCase,
      boolean listOnly,
      Flood flood,
      int consensusMessages,
      JmhBenchmarks.Settings jmh) {
    Settings(
        Set<String> selected, int iterations, Path dir, Duration timePerCase, boolean listOnly) {
      this(
          selected,
          iterations,
          dir,
          timePerCase,
          listOnly,
          Flood.defaults(),
          ConsensusBenchmark.DEFAULT_MESSAGES,
          JmhBenchmarks.Settings.defaults(dir));
    }
  }

  /** Options of the flood benchmark (see {@link FloodBenchmark.Settings}). */
  record Flood(int messages, double rate, int rounds, boolean outsider) {
    static Flood defaults() {
      FloodBenchmark.Settings d = FloodBenchmark.Settings.defaults();
      return new Flood(d.messages(), d.attackerRate(), d.rounds(), d.outsider());
    }
  }

  /** A benchmark: a name for --NAME, what it measures, and how to run it. */
  record Benchmark(String name, String description, Runner runner) {}

  /** Runs a benchmark and prints its figures to {@code out}. */
  interface Runner {
    void run(Settings settings, PrintWriter out) throws Exception;
  }

  private Benchmarks() {}

  static List<Benchmark> all() {
    return List.of(
        new Benchmark(
            "signing",
            "secp256k1 sign and recover per backend",
            (s, out) -> out.print(SigningBenchmark.run(s.iterations()))),
        new Benchmark(
            "frost",
            "FROST threshold signing per operation, 3-of-4 and 5-of-7, per point backend",
            (s, out) -> out.print(FrostBenchmark.run(Math.max(1, s.iterations() / 25)))),
        new Benchmark(
            "storage",
            "RocksDB writes and reads, synced and not, and the node's stores",
            (s, out) ->
                out.print(
                    StorageBenchmark.run(
                        s.dir(), s.timePerCase(), StorageBenchmark.DEFAULT_MAX_OPS_PER_CASE))),
        new Benchmark(
            "consensus",
            "a local committee attesting over a Pekko cluster",
            (s, out) -> out.print(ConsensusBenchmark.run(s.consensusMessages()))),
        new Benchmark(
            "flood",
            "honest throughput and memory while one member floods the others",
            (s, out) ->
                out.print(
                    FloodBenchmark.run(
                        new FloodBenchmark.Settings(
                            s.flood().messages(),
                            s.flood().rate(),
                            s.flood().rounds(),
                            s.flood().outsider(),
                            ConfigFactory.empty()),
                        Secp256k1Backends.preferred()))),
        new Benchmark(
            "jmh",
            "JMH microbenchmarks: attestation codec, keccak256, secp256k1 per backend, storage",
            (s, out) -> {
              out.println(s.jmh().describe() + "; benchmarks matching '" + s.jmh().include() + "'");
              out.flush();
              out.print(JmhBenchmarks.run(s.jmh()));
            }));
  }

  static int run(Settings s, List<Benchmark> benchmarks, PrintWriter out, PrintWriter err) {
    if (s.listOnly()) {
      for (Benchmark b : benchmarks) out.printf("--%-10s %s%n", b.name(), b.description());
      return 0;
    }
    int status = 0;
    for (Benchmark b : benchmarks) {
      boolean wanted = s.selected().isEmpty() || s.selected().contains(b.name());
      if (!wanted) continue;
      out.println("== " + b.name() + ": " + b.description());
      out.flush();
      try {
        b.runner().run(s, out);
      } catch (Exception e) {
        err.println("vigil bench: the " + b.name() + " benchmark failed: " + e);
        status = BenchMain.EXIT_FAILED;
      }
      out.println();
      out.flush();
    }
    return status;
  }
}
