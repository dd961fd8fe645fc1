package dev.vigil.bench;

import dev.vigil.signing.Secp256k1Backends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH microbenchmarks of this module ({@code *Jmh}) in this process through JMH's Runner
 * API, with a short configuration, and returns JMH's result table.
 */
final class JmhBenchmarks {
  /**
   * @param include regular expression a benchmark's full name must contain, e.g. {@code Keccak}
   * @param forks JVMs forked per benchmark; 0 runs them in this one (quicker, less trustworthy)
   * @param time of each warm-up and measurement iteration
   * @param dir where the storage benchmark creates (and deletes) its database
   */
  record Settings(
      String include, int forks, int warmupIterations, int iterations, Duration time, Path dir) {
    static final int DEFAULT_FORKS = 1;
    static final int DEFAULT_WARMUP_ITERATIONS = 2;
    static final int DEFAULT_ITERATIONS = 3;
    static final Duration DEFAULT_TIME = Duration.ofSeconds(1);

    static Settings defaults(Path dir) {
      return new Settings(
          ".*", DEFAULT_FORKS, DEFAULT_WARMUP_ITERATIONS, DEFAULT_ITERATIONS, DEFAULT_TIME, dir);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d fork%s, %d warm-up and %d measured iterations of %d ms each",
          forks,
          forks == 1 ? "" : "s",
          warmupIterations,
          iterations,
          time.toMillis());
    }
  }

  private JmhBenchmarks() {}

  /**
   * @throws RunnerException when a benchmark fails or none matches {@link Settings#include} (JMH
   *     says which)
   */
  static String run(Settings s) throws RunnerException {
    TimeValue time = TimeValue.milliseconds(s.time().toMillis());
    Options options =
        new OptionsBuilder()
            .include(s.include())
            .forks(s.forks())
            .warmupIterations(s.warmupIterations())
            .warmupTime(time)
            .measurementIterations(s.iterations())
            .measurementTime(time)
            .param("backend", backends())
            .param("dir", s.dir().toAbsolutePath().normalize().toString())
            .jvmArgsAppend(forkArgs())
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.TEXT, out).writeOut(results);
    }
    return table.toString(StandardCharsets.UTF_8);
  }

  /**
   * The forks log errors only, like this process while benchmarks run, so that their lines stay out
   * of the table (a configuration of their own: the consensus fixtures on this classpath bring a
   * logback-test.xml that logs dev.vigil at INFO). From JDK 24 on, JMH's own use of sun.misc.Unsafe
   * would print a warning in every fork.
   */
  private static String[] forkArgs() {
    List<String> args = new ArrayList<>();
    args.add("-Dlogback.configurationFile=jmh-fork-logback.xml");
    if (Runtime.version().feature() >= 24) args.add("--sun-misc-unsafe-memory-access=allow");
    return args.toArray(String[]::new);
  }

  /** The secp256k1 backends of this machine: native only where its library loads. */
  private static String[] backends() {
    List<String> names = new ArrayList<>();
    if (Secp256k1Backends.isNativeAvailable()) names.add(Secp256k1Backends.NATIVE);
    names.add(Secp256k1Backends.BOUNCY_CASTLE_NAME);
    return names.toArray(String[]::new);
  }
}
