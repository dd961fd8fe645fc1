package dev.vigil.testing.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A guardian (or any Vigil command) in its own JVM, started from this JVM's own java binary on the
 * node's class path, with its output appended to a log file. It can be killed (SIGKILL), frozen (SIGSTOP),
 * thawed (SIGCONT) and started again on the same configuration and data.
 */
public final class NodeProcess implements AutoCloseable {
  /** System property with the classpath guardians run on; ./vigil sets it to the node's. */
  public static final String NODE_CLASSPATH = "vigil.node.classpath";

  private final String name;
  private final List<String> args;
  private final Path logFile;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private Process process;

  public NodeProcess(String name, List<String> vigilArgs, Path logFile, Map<String, String> env, List<String> jvmOptions) {
    this.name = name;
    this.args = List.copyOf(vigilArgs);
    this.logFile = logFile;
    this.env = Map.copyOf(env);
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized NodeProcess start() {
    if (isAlive()) throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
    String home = System.getProperty("vigil.home");
    if (home != null) cmd.add("-Dvigil.home=" + home);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("dev.vigil.node.cli.Vigil");
    cmd.addAll(args);
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      process = pb.start();
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The node's own classpath when the launcher gave it ({@value #NODE_CLASSPATH}: the node's jar and
   * runtime dependencies, nothing of the tools that start it), else this JVM's (in tests).
   */
  static String classpath() {
    String node = System.getProperty(NODE_CLASSPATH);
    return node != null && !node.isBlank() ? node : System.getProperty("java.class.path");
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL: no shutdown hooks, no flush; what the node wrote unsynced may be lost. */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitFor(process, Duration.ofSeconds(30));
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  public synchronized void stop(Duration grace) {
    if (process == null) return;
    signal("CONT"); // a frozen process cannot handle SIGTERM
    process.destroy();
    if (!waitFor(process, grace)) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(30));
    }
  }

  /** SIGSTOP: the process is frozen, sockets stay open, peers see silence. */
  public synchronized void freeze() {
    signal("STOP");
  }

  public synchronized void thaw() {
    signal("CONT");
  }

  private void signal(String sig) {
    if (!isAlive()) return;
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).redirectErrorStream(true).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot send SIG" + sig + " to " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return name + (isAlive() ? " (pid " + pid() + ")" : " (stopped)");
  }
}
