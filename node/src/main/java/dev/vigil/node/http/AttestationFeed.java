package dev.vigil.node.http;

import dev.vigil.consensus.attestation.Attestation;
import java.util.function.Consumer;

/**
 * New attestations as the node gets them (formed here or received from a peer), for the API's
 * stream. {@link AttestationHub} is the implementation the node uses.
 */
public interface AttestationFeed {
  /**
   * Calls {@code listener} with every attestation published from now on, until the returned
   * subscription is closed. The listener runs on the publisher's thread and must not block.
   */
  Subscription subscribe(Consumer<Attestation> listener);

  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
