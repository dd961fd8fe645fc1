package dev.vigil.bench;

import com.typesafe.config.ConfigFactory;
import dev.vigil.signing.Secp256k1Backends;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmarks `vigil bench` knows. Each module keeps its benchmark as a main in its
 * {@code bench} package; adding one here is one entry in {@link #all()}.
 */
final class Benchmarks {
  /**
   * @param iterations operations per measurement, for signing
   * @param dir where the storage benchmark creates (and deletes) its database: the disk it measures
   * @param timePerCase how long each storage case runs at most
   * @param jmh what the JMH microbenchmarks run and how long
   */
  record Settings(Set<String> selected, int iterations, Path dir, Duration timePerCase, boolean listOnly, Flood flood,
      int consensusMessages, JmhBenchmarks.Settings jmh) {
    Settings(Set<String> selected, int iterations, Path dir, Duration timePerCase, boolean listOnly) {
      this(selected, iterations, dir, timePerCase, listOnly, Flood.defaults(), ConsensusBenchmark.DEFAULT_MESSAGES,
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

  /** A benchmark: a name for --NAME, what it measures, and how to run it if this build has it. */
  record Benchmark(String name, String description, Runner runner) {}

  interface Runner {
    /** Empty when it can run; else why not. */
    Optional<String> unavailable();

    void run(Settings settings, PrintWriter out) throws Exception;
  }

  private Benchmarks() {}

  static List<Benchmark> all() {
    return List.of(
        new Benchmark("signing", "secp256k1 sign and recover per backend",
            direct((s, out) -> out.print(SigningBenchmark.run(s.iterations())))),
        new Benchmark("storage", "RocksDB writes and reads, synced and not, and the node's stores",
            direct((s, out) -> out.print(StorageBenchmark.run(s.dir(), s.timePerCase(), StorageBenchmark.DEFAULT_MAX_OPS_PER_CASE)))),
        new Benchmark("consensus", "a local committee attesting over a Pekko cluster",
            direct((s, out) -> out.print(ConsensusBenchmark.run(s.consensusMessages())))),
        new Benchmark("flood", "honest throughput and memory while one member floods the others",
            direct((s, out) -> out.print(FloodBenchmark.run(new FloodBenchmark.Settings(s.flood().messages(), s.flood().rate(),
                s.flood().rounds(), s.flood().outsider(), ConfigFactory.empty()), Secp256k1Backends.preferred())))),
        new Benchmark("jmh", "JMH microbenchmarks: attestation codec, keccak256, secp256k1 per backend, storage",
            direct((s, out) -> {
              out.println(s.jmh().describe() + "; benchmarks matching '" + s.jmh().include() + "'");
              out.flush();
              out.print(JmhBenchmarks.run(s.jmh()));
            })));
  }

  static int run(Settings s, List<Benchmark> benchmarks, PrintWriter out, PrintWriter err) {
    if (s.listOnly()) {
      for (Benchmark b : benchmarks) {
        out.printf("--%-10s %s%s%n", b.name(), b.description(),
            b.runner().unavailable().map(why -> " [not in this build: " + why + "]").orElse(""));
      }
      return 0;
    }
    for (String name : s.selected()) {
      Benchmark b = benchmarks.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      Optional<String> why = b.runner().unavailable();
      if (why.isPresent()) {
        err.println("vigil bench: the " + name + " benchmark is not in this build (" + why.get() + ")");
        return BenchMain.EXIT_USAGE;
      }
    }
    int status = 0;
    for (Benchmark b : benchmarks) {
      boolean wanted = s.selected().isEmpty() || s.selected().contains(b.name());
      if (!wanted) continue;
      Optional<String> why = b.runner().unavailable();
      if (why.isPresent()) {
        out.println("== " + b.name() + ": skipped, not in this build (" + why.get() + ")");
        continue;
      }
      out.println("== " + b.name() + ": " + b.description());
      out.flush();
      try {
        b.runner().run(s, out);
      } catch (Exception e) {
        Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
        err.println("vigil bench: the " + b.name() + " benchmark failed: " + cause);
        status = BenchMain.EXIT_FAILED;
      }
      out.println();
      out.flush();
    }
    return status;
  }

  interface Body {
    void run(Settings settings, PrintWriter out) throws Exception;
  }

  static Runner direct(Body body) {
    return new Runner() {
      @Override
      public Optional<String> unavailable() {
        return Optional.empty();
      }

      @Override
      public void run(Settings settings, PrintWriter out) throws Exception {
        body.run(settings, out);
      }
    };
  }

  /**
   * A module's benchmark main, found by class name so that `vigil bench` builds before that module
   * has one. Its figures go to System.out, where the main prints them.
   */
  static Runner main(String className) {
    return new Runner() {
      @Override
      public Optional<String> unavailable() {
        return method().isPresent() ? Optional.empty() : Optional.of("no " + className + ".main");
      }

      @Override
      public void run(Settings settings, PrintWriter out) throws Exception {
        out.flush();
        method().orElseThrow().invoke(null, (Object) new String[0]);
        System.out.flush();
      }

      private Optional<Method> method() {
        try {
          Method m = Class.forName(className, false, Benchmarks.class.getClassLoader()).getMethod("main", String[].class);
          return Modifier.isStatic(m.getModifiers()) ? Optional.of(m) : Optional.empty();
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
          return Optional.empty();
        }
      }
    };
  }
}
