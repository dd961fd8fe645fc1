package dev.vigil.node.config;

import java.nio.file.Path;
import java.util.Objects;

/** The guardian's encrypted key file and how its password is supplied. */
public record KeySettings(Path file, PasswordSource password) {
  public KeySettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
  }
}
