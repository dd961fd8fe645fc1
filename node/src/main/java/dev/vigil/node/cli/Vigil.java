package dev.vigil.node.cli;

import dev.vigil.node.config.NodeConfigException;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `vigil` command line: thin picocli commands that turn options into settings. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    version = "vigil 0.1.0",
    description = "Vigil guardian node for cross-chain message passing.",
    subcommands = {
      CommandLine.HelpCommand.class,
      KeygenCommand.class,
      VerifyCommand.class,
      ConfigCommand.class,
      RunCommand.class,
      AdminCommand.class,
      GovernanceCommand.class,
      EvidenceCommand.class
    })
public final class Vigil implements Runnable {
  /** Exit code for bad usage or unreadable input (picocli's own usage errors use it too). */
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  static final int EXIT_FAILED = 1;

  /** {@code vigil run}: the guardian's key is not in the committee it would serve (removed). */
  static final int EXIT_NOT_A_MEMBER = 3;

  /** What commands take from the process, injectable so tests run them in-process. */
  record Context(Map<String, String> env, PasswordPrompt prompt) {
    Context {
      env = Map.copyOf(Objects.requireNonNull(env, "env"));
      Objects.requireNonNull(prompt, "prompt");
    }

    @Override
    public String toString() {
      return "Context[" + env.size() + " environment variables]";
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private final Context context;

  private Vigil(Context context) {
    this.context = context;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return commandLine(new Context(System.getenv(), PasswordPrompt.console()));
  }

  static CommandLine commandLine(Context context) {
    CommandLine cl = new CommandLine(new Vigil(context));
    // `vigil verify @file` reads an attestation from a file; picocli must not expand it as an
    // argument file
    cl.setExpandAtFiles(false);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("vigil " + cmd.getCommandName() + ": " + e.getMessage());
          cmd.getErr().flush();
          return e instanceof NodeConfigException ? EXIT_USAGE : EXIT_FAILED;
        });
    return cl;
  }

  Context context() {
    return context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
