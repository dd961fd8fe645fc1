package dev.vigil.relayer;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;

/**
 * Told what the relayer did, e.g. to print progress. Called on the destination's sender thread:
 * return quickly. An exception thrown here is logged and does not affect delivery.
 */
@FunctionalInterface
public interface RelayerListener {
  RelayerListener NONE = d -> {};

  /** This relayer's transaction executed the message. */
  void onDelivered(Delivery delivery);

  /** The message could not be delivered before the give-up time; {@code lastError} says why. */
  default void onGaveUp(
      MessageId messageId, Digest digest, String destination, int attempts, String lastError) {}
}
