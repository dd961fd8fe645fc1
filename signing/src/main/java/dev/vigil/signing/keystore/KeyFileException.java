package dev.vigil.signing.keystore;

import java.io.IOException;
import java.nio.file.Path;

/** A key file that cannot be used, and why. Never carries key bytes or the password. */
public final class KeyFileException extends IOException {
  public enum Reason {
    /** The MAC did not match: the password is wrong or the file was altered. */
    WRONG_PASSWORD,
    /** Not a keystore v3 file, or a field is missing or malformed (the message names it). */
    MALFORMED,
    /** A valid keystore, but with a cipher, KDF or cost that Vigil does not accept. */
    UNSUPPORTED,
    /** Group or others may read the file. */
    INSECURE_PERMISSIONS
  }

  private final Reason reason;
  private final Path path;

  KeyFileException(Reason reason, Path path, String message) {
    super(message);
    this.reason = reason;
    this.path = path;
  }

  public Reason reason() {
    return reason;
  }

  public Path path() {
    return path;
  }
}
