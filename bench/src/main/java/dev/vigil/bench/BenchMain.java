package dev.vigil.bench;

import picocli.CommandLine;

/**
 * `vigil bench`: the benchmarks run from the source tree's launcher on a classpath of their own,
 * apart from the node's (which carries no benchmark or attack code).
 */
public final class BenchMain {
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
  static final int EXIT_FAILED = 1;

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setCommandName("vigil bench");
    return cl;
  }
}
