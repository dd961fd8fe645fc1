package dev.vigil.devnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * `vigil devnet` and `vigil chaos`: developer tools that run from the source tree's launcher on a
 * classpath of their own. The guardians they start run the node's own jar and classpath.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    description = "Vigil developer tools: a local devnet and chaos runs against it.",
    subcommands = {CommandLine.HelpCommand.class, DevnetCommand.class, ChaosCommand.class})
public final class DevnetTools implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DevnetTools());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("vigil " + cmd.getCommandName() + ": " + e.getMessage());
          cmd.getErr().flush();
          return 1;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
