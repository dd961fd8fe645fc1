package dev.vigil.consensus.aggregation;

/**
 * The order in which a driver checks peers' signatures when it cannot check them all at once
 * ({@link Aggregator#priorityOf}): the ones that can complete a local quorum first.
 */
public enum Priority {
  /** For a message observed here, under an index in good standing: these make attestations. */
  OBSERVED,
  /** For a message not observed here yet: useful once it is (a peer was quicker than our chain). */
  UNSEEN,
  /** For an observed message, under an index whose signatures keep failing: checked last. */
  SUSPECT,
  /**
   * Cannot change anything any more (attested meanwhile, or a suspect signer's unseen one): skip
   * it.
   */
  UNNEEDED
}
