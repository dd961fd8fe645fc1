package dev.vigil.node.cli;

import dev.vigil.testing.cli.CommandRun;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Runs `vigil` in-process with captured output, a given environment and a scripted terminal. */
final class Cli {
  private Cli() {}

  static CommandRun run(String... args) {
    return run(Map.of(), noTerminal(), args);
  }

  static CommandRun run(Map<String, String> env, PasswordPrompt prompt, String... args) {
    return CommandRun.of(Vigil.commandLine(new Vigil.Context(env, prompt)), args);
  }

  static PasswordPrompt noTerminal() {
    return new PasswordPrompt() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public char[] read(String prompt) {
        throw new AssertionError("no terminal");
      }
    };
  }

  /** A terminal where the user types these answers, in order. */
  static PasswordPrompt typing(String... answers) {
    Deque<String> left = new ArrayDeque<>(List.of(answers));
    return new PasswordPrompt() {
      @Override
      public boolean available() {
        return true;
      }

      @Override
      public char[] read(String prompt) {
        String a = left.poll();
        return a == null ? null : a.toCharArray();
      }
    };
  }
}
