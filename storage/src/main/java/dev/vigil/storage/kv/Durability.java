package dev.vigil.storage.kv;

/** How far a write must reach before the call returns. */
public enum Durability {
  /**
   * The write-ahead log is in the operating system's page cache: it survives the process being
   * killed, but not a power loss or a kernel crash.
   */
  UNSYNCED,
  /** The write-ahead log is fsynced before the call returns: survives a power loss too. */
  SYNCED
}
