package dev.vigil.node.observer;

/**
 * How a chain tells final blocks: by the {@code safe}/{@code finalized} block tags, or, on a chain
 * without them, by a confirmation depth below the head.
 */
public sealed interface Finality {
  /** The chain answers the safe and finalized tags. */
  record Tags() implements Finality {}

  /** Blocks at least this many below the head are final (for both safe and finalized). */
  record Confirmations(int depth) implements Finality {
    public Confirmations {
      if (depth < 0) throw new IllegalArgumentException("confirmations must be >= 0, got " + depth);
    }
  }

  /** Which final height a message of this consistency level waits for (ARCHITECTURE.md). */
  enum Level {
    /** 200: sign at once. */
    INSTANT,
    /** 201: wait for the safe block. */
    SAFE,
    /** anything else: wait for the finalized block. */
    FINALIZED;

    public static Level of(int consistencyLevel) {
      return switch (consistencyLevel) {
        case 200 -> INSTANT;
        case 201 -> SAFE;
        default -> FINALIZED;
      };
    }
  }

  /** The heights below which messages of each level are final, as read in one poll. */
  record Heights(long head, long safe, long finalized) {
    public long of(Level level) {
      return switch (level) {
        case INSTANT -> head;
        case SAFE -> safe;
        case FINALIZED -> finalized;
      };
    }
  }
}
