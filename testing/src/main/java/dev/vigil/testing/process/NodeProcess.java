package dev.vigil.testing.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A guardian (or any Vigil command) in its own JVM, started from this JVM's own java binary on the
 * node's class path, with its output appended to a log file. It can be killed (SIGKILL), frozen
 * (SIGSTOP), thawed (SIGCONT) and started again on the same configuration and data. A process that
 * ends without being stopped here is reported to the {@link #onUnexpectedExit} listener at once.
 */
public final class NodeProcess implements AutoCloseable {
  /** System property with the classpath guardians run on; ./vigil sets it to the node's. */
  public static final String NODE_CLASSPATH = "vigil.node.classpath";

  /**
   * System property naming the node module's target directory (its vigil-node.jar and
   * classpath.txt), for tests that run guardians as the node's distribution runs.
   */
  public static final String NODE_TARGET = "vigil.node.target";

  private final String name;
  private final List<String> args;
  private final Path logFile;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private final List<String> command; // null: a Vigil command on the node's classpath
  private final List<String> launcher; // run in front of the command, e.g. ip netns exec NAME
  private Process process;
  private boolean stoppedHere; // the current process was (or is being) stopped by kill() or stop()
  private volatile Consumer<Exit> onUnexpectedExit = exit -> {};

  /** How a process ended that was not stopped here. */
  public record Exit(String name, long pid, int exitCode, Path logFile, String logTail) {
    /** One line naming the process and its exit code, then its last log lines. */
    public String describe() {
      return name
          + " (pid "
          + pid
          + ") exited by itself with exit code "
          + exitCode
          + "; last lines of "
          + logFile
          + ":\n"
          + logTail;
    }
  }

  public NodeProcess(
      String name,
      List<String> vigilArgs,
      Path logFile,
      Map<String, String> env,
      List<String> jvmOptions) {
    this(name, vigilArgs, logFile, env, jvmOptions, null, List.of());
  }

  private NodeProcess(
      String name,
      List<String> args,
      Path logFile,
      Map<String, String> env,
      List<String> jvmOptions,
      List<String> command,
      List<String> launcher) {
    this.name = name;
    this.args = List.copyOf(args);
    this.logFile = logFile;
    this.env = Map.copyOf(env);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.command = command == null ? null : List.copyOf(command);
    this.launcher = List.copyOf(launcher);
  }

  /**
   * The same process started through {@code launcher} (e.g. {@code ip netns exec NAME}, which execs
   * the command, so the pid is still the JVM's and signals reach it).
   */
  public NodeProcess withLauncher(List<String> launcher) {
    return new NodeProcess(name, args, logFile, env, jvmOptions, command, launcher);
  }

  /** Any command instead of a Vigil one (e.g. a stand-in that fails at once, in tests). */
  public static NodeProcess ofCommand(String name, List<String> command, Path logFile) {
    return new NodeProcess(name, List.of(), logFile, Map.of(), List.of(), command, List.of());
  }

  /**
   * Called once for each run that ends without {@link #kill} or {@link #stop} (a crash, an exit at
   * start), on a thread of its own, with the exit code and the log's last lines.
   */
  public void onUnexpectedExit(Consumer<Exit> listener) {
    this.onUnexpectedExit = listener;
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized NodeProcess start() {
    if (isAlive())
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(command != null ? command : vigilCommand());
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Process started = pb.start();
      process = started;
      stoppedHere = false;
      started.onExit().thenAccept(this::exited);
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  private void exited(Process p) {
    synchronized (this) {
      if (p != process || stoppedHere) return;
    }
    onUnexpectedExit.accept(new Exit(name, p.pid(), p.exitValue(), logFile, logTail(20)));
  }

  private List<String> vigilCommand() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
    return cmd;
  }

  /**
   * The node's own classpath, nothing of the tools that start it: {@value #NODE_CLASSPATH} when the
   * launcher gave it (./vigil), else the node module's jar and runtime dependencies when {@value
   * #NODE_TARGET} names its built target directory (the devnet's tests), else this JVM's (other
   * tests).
   */
  public static String classpath() {
    String node = System.getProperty(NODE_CLASSPATH);
    if (node != null && !node.isBlank()) return node;
    String target = System.getProperty(NODE_TARGET);
    if (target != null && !target.isBlank()) {
      Path jar = Path.of(target, "vigil-node.jar");
      Path deps = Path.of(target, "classpath.txt");
      if (Files.isRegularFile(jar) && Files.isRegularFile(deps)) {
        try {
          return jar.toAbsolutePath() + File.pathSeparator + Files.readString(deps).trim();
        } catch (IOException e) {
          throw new IllegalStateException("cannot read the node's classpath " + deps, e);
        }
      }
    }
    return System.getProperty("java.class.path");
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /**
   * The exit code of the last run once it has ended; empty while it runs or before the first start.
   */
  public synchronized OptionalInt exitCode() {
    return process == null || process.isAlive()
        ? OptionalInt.empty()
        : OptionalInt.of(process.exitValue());
  }

  /** The log's last {@code lines} lines (read from its last 64 KiB), or why it cannot be read. */
  public String logTail(int lines) {
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long from = Math.max(0, f.length() - 64 * 1024);
      byte[] buf = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(buf);
      List<String> all = new String(buf, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: no shutdown hooks, no flush; what the node wrote unsynced may be lost. */
  public synchronized void kill() {
    if (process == null) return;
    stoppedHere = true;
    process.destroyForcibly();
    waitFor(process, Duration.ofSeconds(30));
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  public synchronized void stop(Duration grace) {
    if (process == null) return;
    stoppedHere = true;
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
      Process kill =
          new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid()))
              .redirectErrorStream(true)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot send SIG" + sig + " to " + name + ": " + e.getMessage(), e);
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
