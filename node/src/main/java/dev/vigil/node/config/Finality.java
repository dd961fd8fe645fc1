package dev.vigil.node.config;

/**
 * When a source chain's message counts as final. {@link Tags}: the chain answers the {@code safe}
 * and {@code finalized} block tags, and the message's consistency level picks one (ARCHITECTURE.md,
 * "Consistency levels"). {@link Confirmations}: the chain has no such tags, so every message waits
 * until it is this many blocks below the head.
 */
public sealed interface Finality {
  record Tags() implements Finality {
    @Override
    public String toString() {
      return "tags";
    }
  }

  record Confirmations(int blocks) implements Finality {
    public Confirmations {
      if (blocks < 1) throw new IllegalArgumentException("confirmations must be at least 1, got " + blocks);
    }

    @Override
    public String toString() {
      return blocks + " confirmations";
    }
  }

  Finality TAGS = new Tags();
}
