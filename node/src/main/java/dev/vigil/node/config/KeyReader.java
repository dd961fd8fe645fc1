package dev.vigil.node.config;

import static dev.vigil.node.config.NodeSettingsLoader.ROOT;

import dev.vigil.signing.Address;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code vigil.node.key}: the key file and where its password comes from; and, when files are
 * checked, that the key file is there, owner-only and a committee member's, and the password too.
 */
final class KeyReader {
  static final String INLINE_PASSWORD = ROOT + ".key.password";

  private final NodeValues values;
  private final ConfigReader reader;
  private final Consumer<String> warn;

  KeyReader(NodeValues values, Consumer<String> warn) {
    this.values = values;
    this.reader = values.reader();
    this.warn = warn;
  }

  KeySettings key() {
    String base = ROOT + ".key";
    Path file = values.path(base + ".file");
    String env = reader.optionalString(base + ".password-env");
    boolean hasFile = reader.has(base + ".password-file");
    String inline = reader.optionalString(INLINE_PASSWORD);
    int given = (env != null ? 1 : 0) + (hasFile ? 1 : 0) + (inline != null ? 1 : 0);
    if (given > 1) {
      reader.problem(
          base,
          "set at most one of password-env, password-file and password; "
              + (env != null ? "password-env " : "")
              + (hasFile ? "password-file " : "")
              + (inline != null ? "password " : "")
              + "are set");
      return null;
    }
    PasswordSource source;
    if (hasFile) {
      Path pw = values.path(base + ".password-file");
      if (pw == null) return null;
      source = new PasswordSource.FromFile(pw);
    } else if (inline != null) {
      warn.accept(
          INLINE_PASSWORD
              + " is set: the key's password is in the configuration file"
              + ConfigReader.where(reader.value(INLINE_PASSWORD))
              + "; use password-env or password-file for anything but a throwaway local key");
      source = new PasswordSource.Inline(inline);
    } else {
      String variable = env != null ? env : PasswordSource.DEFAULT_ENV;
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        reader.problem(
            base + ".password-env",
            "expected an environment variable name, got \"" + variable + "\"",
            reader.value(base + ".password-env"));
        return null;
      }
      source = new PasswordSource.FromEnv(variable);
    }
    return file == null ? null : new KeySettings(file, source);
  }

  /**
   * Checks the key file; returns the address it declares, or null when it is unusable.
   *
   * @param committee null when it is wrong: then membership is not checked
   */
  Address checkKeyFile(KeySettings key, CommitteeSettings committee) {
    if (key == null) return null;
    String path = ROOT + ".key.file";
    Path f = key.file();
    if (!Files.isRegularFile(f)) {
      reader.problem(
          path,
          "no key file at " + f + " (create one with: vigil keygen --out " + f + ")",
          reader.value(path));
      return null;
    }
    if (!ownerOnly(f, "key file", path, "another user could replace the key")) return null;
    Address declared;
    try {
      declared = KeyFile.declaredAddress(f);
    } catch (IOException e) {
      reader.problem(path, "cannot read key file: " + e.getMessage(), reader.value(path));
      return null;
    }
    if (declared == null) {
      reader.problem(
          path,
          "key file "
              + f
              + " has no address field, so its membership of the committee cannot be checked",
          reader.value(path));
    } else if (committee != null && !committee.members().contains(declared)) {
      reader.problem(
          path,
          "key file "
              + f
              + " holds the key of "
              + declared
              + ", which is not a member of committee "
              + committee.index()
              + " ("
              + ROOT
              + ".committee.members)",
          reader.value(path));
    }
    return declared;
  }

  /**
   * Whether {@code f} is neither readable nor writable by group or others; else records a problem
   * at {@code path} naming the mode and the chmod that fixes it. True where the file system has no
   * POSIX modes (the key file's loader checks again where it can).
   */
  private boolean ownerOnly(Path f, String what, String path, String whyWrite) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(f);
    } catch (UnsupportedOperationException | IOException notPosix) {
      return true;
    }
    boolean read =
        perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ);
    boolean write =
        perms.contains(PosixFilePermission.GROUP_WRITE)
            || perms.contains(PosixFilePermission.OTHERS_WRITE);
    if (!read && !write) return true;
    reader.problem(
        path,
        what
            + " "
            + f
            + " is "
            + (read ? "readable" : "writable")
            + " by group or others (mode "
            + PosixFilePermissions.toString(perms)
            + ")"
            + (read ? "" : ": " + whyWrite)
            + "; restrict it with: chmod 600 "
            + f,
        reader.value(path));
    return false;
  }

  /**
   * @param env the environment a password variable is read from
   * @param guardian the address the key file declares (null if unknown): the password file of a
   *     public dev key protects nothing, so its mode is not checked
   */
  void checkPassword(KeySettings key, Map<String, String> env, Address guardian) {
    if (key == null) return;
    switch (key.password()) {
      case PasswordSource.FromEnv e -> {
        String v = env.get(e.variable());
        if (v == null || v.isEmpty()) {
          String path = ROOT + ".key.password-env";
          reader.problem(
              path,
              "environment variable "
                  + e.variable()
                  + " (the key file's password) is "
                  + (v == null ? "not set" : "empty")
                  + (reader.value(path) == null
                      ? " (no password-env, password-file or password is configured, so "
                          + PasswordSource.DEFAULT_ENV
                          + " is read)"
                      : ""),
              reader.value(path));
        }
      }
      case PasswordSource.FromFile f -> {
        String path = ROOT + ".key.password-file";
        if (!Files.isRegularFile(f.file())) {
          reader.problem(path, "no password file at " + f.file(), reader.value(path));
        } else if (guardian == null || !DevKeys.isDevKey(guardian)) {
          ownerOnly(
              f.file(), "password file", path, "another user could change the key's password");
        }
      }
      case PasswordSource.Inline i -> {
        // warned about when read
      }
    }
  }
}
