package dev.vigil.node.observer;

import dev.vigil.signing.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * One {@code LogMessagePublished} event read from a source chain, with everything needed to build
 * the attestation body and to find it again (block and transaction).
 */
public record ObservedMessage(
    int emitterChain,
    byte[] emitterAddress,
    long sequence,
    long nonce,
    int consistencyLevel,
    byte[] payload,
    long timestamp,
    long blockNumber,
    String blockHash,
    String txHash,
    long logIndex) {

  public ObservedMessage {
    Objects.requireNonNull(emitterAddress, "emitterAddress");
    Objects.requireNonNull(payload, "payload");
    if (emitterAddress.length != 32)
      throw new IllegalArgumentException("emitter address must be 32 bytes");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObservedMessage m
        && emitterChain == m.emitterChain
        && Arrays.equals(emitterAddress, m.emitterAddress)
        && sequence == m.sequence
        && nonce == m.nonce
        && consistencyLevel == m.consistencyLevel
        && Arrays.equals(payload, m.payload)
        && timestamp == m.timestamp
        && blockNumber == m.blockNumber
        && Objects.equals(blockHash, m.blockHash)
        && Objects.equals(txHash, m.txHash)
        && logIndex == m.logIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(emitterChain, Arrays.hashCode(emitterAddress), sequence, txHash, logIndex);
  }

  @Override
  public String toString() {
    return "ObservedMessage["
        + emitterChain
        + "/"
        + Hex.encode(emitterAddress)
        + "/"
        + sequence
        + " level="
        + consistencyLevel
        + " block="
        + blockNumber
        + " tx="
        + txHash
        + "]";
  }
}
