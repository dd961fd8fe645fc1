package dev.vigil.consensus.observation;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.Objects;

/**
 * What a chain observer hands to consensus: a message that is final on its source chain, the body
 * the committee signs, and where it was found (so that a peer that missed it can re-read it).
 *
 * @param body the attestation body (timestamp is the block's)
 * @param txHash the transaction that published the message
 * @param blockNumber the source block that holds the transaction
 * @param blockHash that block's hash, to tell a reorged block from the final one
 */
public record Observation(Body body, Bytes32 txHash, long blockNumber, Bytes32 blockHash) {
  public Observation {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(blockHash, "blockHash");
  }

  public MessageId messageId() {
    return body.messageId();
  }

  public int chain() {
    return body.emitterChain();
  }

  /** keccak256(keccak256(body)); computed on each call, so callers keep it. */
  public Digest digest() {
    return body.digest();
  }
}
