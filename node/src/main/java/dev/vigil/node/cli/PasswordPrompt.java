package dev.vigil.node.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Reads a password from the user's terminal without echo. */
interface PasswordPrompt {
  /** Whether there is a terminal to ask on. */
  boolean available();

  /** The typed password, or null at end of input. */
  char[] read(String prompt);

  /** The process's terminal, if it has one. */
  static PasswordPrompt console() {
    return new PasswordPrompt() {
      @Override
      public boolean available() {
        Console c = System.console();
        if (c == null) return false;
        try {
          // Java 22+ returns a Console even when stdin is not a terminal; isTerminal() tells
          Method isTerminal = Console.class.getMethod("isTerminal");
          return (boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException olderJava) {
          return true;
        }
      }

      @Override
      public char[] read(String prompt) {
        return System.console().readPassword("%s", prompt);
      }
    };
  }
}
