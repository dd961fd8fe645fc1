package dev.vigil.node.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs `vigil` in-process with captured output, a given environment and a scripted terminal. */
final class Cli {
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private Cli() {}

  static Run run(String... args) {
    return run(Map.of(), noTerminal(), args);
  }

  static Run run(Map<String, String> env, PasswordPrompt prompt, String... args) {
    CommandLine cl = Vigil.commandLine(new Vigil.Context(env, prompt));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
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
