package dev.vigil.node.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/** Where a key file's password comes from. Never prints the password. */
public sealed interface PasswordSource {
  /** The variable read when a node file names no password source. */
  String DEFAULT_ENV = "VIGIL_KEY_PASSWORD";

  /**
   * The password; the caller wipes the array after use.
   *
   * @throws IOException naming the variable or file when the password is not there
   */
  char[] read(Map<String, String> env) throws IOException;

  /** An environment variable that holds the password. */
  record FromEnv(String variable) implements PasswordSource {
    public FromEnv {
      Objects.requireNonNull(variable, "variable");
    }

    @Override
    public char[] read(Map<String, String> env) throws IOException {
      String v = env.get(variable);
      if (v == null)
        throw new IOException(
            "environment variable " + variable + " (the key file's password) is not set");
      if (v.isEmpty())
        throw new IOException(
            "environment variable " + variable + " (the key file's password) is empty");
      return v.toCharArray();
    }
  }

  /** A file that holds the password; one trailing newline (LF or CRLF) is not part of it. */
  record FromFile(Path file) implements PasswordSource {
    public FromFile {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public char[] read(Map<String, String> env) throws IOException {
      if (!Files.isRegularFile(file))
        throw new NoSuchFileException(file.toString(), null, "no password file there");
      byte[] bytes = Files.readAllBytes(file);
      try {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') end--;
        if (end > 0 && bytes[end - 1] == '\r') end--;
        if (end == 0) throw new IOException("password file " + file + " is empty");
        CharBuffer chars;
        try {
          chars =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(bytes, 0, end));
        } catch (CharacterCodingException e) {
          throw new IOException("password file " + file + " is not UTF-8 text");
        }
        char[] out = new char[chars.remaining()];
        chars.get(out);
        if (chars.hasArray()) Arrays.fill(chars.array(), '\0');
        return out;
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /** The password written in the configuration itself: for throwaway local keys only. */
  record Inline(String password) implements PasswordSource {
    public Inline {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public char[] read(Map<String, String> env) throws IOException {
      if (password.isEmpty()) throw new IOException("the inline key password is empty");
      return password.toCharArray();
    }

    @Override
    public String toString() {
      return "Inline[redacted]";
    }
  }
}
