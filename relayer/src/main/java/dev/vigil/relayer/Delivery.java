package dev.vigil.relayer;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.time.Duration;
import java.util.Objects;

/**
 * An attestation this relayer delivered: its transaction executed the message on the destination.
 *
 * @param messageId the message's identity
 * @param digest the attestation's digest, the receiver's replay key
 * @param destination the destination's name
 * @param txHash the transaction that executed it
 * @param latency from the moment the relayer first saw the attestation to its receipt
 * @param attempts attempts it took (1 if the first one went through)
 */
public record Delivery(
    MessageId messageId,
    Digest digest,
    String destination,
    String txHash,
    Duration latency,
    int attempts) {
  public Delivery {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(latency, "latency");
  }
}
