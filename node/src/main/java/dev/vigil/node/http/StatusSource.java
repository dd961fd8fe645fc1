package dev.vigil.node.http;

import java.util.concurrent.CompletionStage;

/**
 * Where {@code GET /v1/status} gets its answer. The node implements it by asking its consensus
 * actor for its stats and its observers for their heights; it must not block the calling thread.
 */
@FunctionalInterface
public interface StatusSource {
  CompletionStage<NodeStatus> status();

  /** Messages without quorum yet, oldest first ({@code GET /v1/pending}); none by default. */
  default CompletionStage<java.util.List<dev.vigil.consensus.aggregation.PendingMessage>>
      pending() {
    return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
  }

  /**
   * Each guardian's participation as this node saw it ({@code GET /v1/guardians}); by default the
   * node does not report it (the API answers 503).
   */
  default CompletionStage<dev.vigil.consensus.aggregation.Participation.Report> participation() {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this node does not track participation"));
  }
}
