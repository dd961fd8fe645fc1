package dev.vigil.storage;

/**
 * Whether a data dir takes writes. While it does not: the cause as the engine or the file system
 * put it (e.g. "No space left on device", "Read-only file system"), since when, and how many writes
 * failed in this episode. Counters run since open.
 *
 * @param failingSinceMillis wall-clock time of the episode's first failed write, 0 when writable
 */
public record WriteHealth(
    boolean writable,
    String cause,
    long failingSinceMillis,
    long failedWritesInEpisode,
    long failedWritesTotal,
    long recoveries) {}
