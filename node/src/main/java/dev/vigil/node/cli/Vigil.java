package dev.vigil.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `vigil` command line: thin picocli commands that turn options into settings. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    version = "vigil 0.1.0",
    description = "Vigil guardian node for cross-chain message passing.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Vigil implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Vigil());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
