package dev.vigil.storage;

/**
 * The database could not do what was asked: it cannot be opened (schema mismatch, in use by another
 * process, not a Vigil database), an engine call failed, or stored bytes do not decode. The message
 * names the data dir or the column and key involved.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
