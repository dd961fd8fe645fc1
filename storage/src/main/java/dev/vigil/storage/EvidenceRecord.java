package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.signing.MessageId;
import java.util.Arrays;

/**
 * One piece of equivocation evidence: opaque bytes (conflicting signed observations, in consensus's
 * format) kept for a message and the signer that equivocated; {@code index} counts from 0 in the
 * order they were kept.
 */
public record EvidenceRecord(MessageId key, Address signer, int index, byte[] evidence) {
  public EvidenceRecord {
    evidence = evidence.clone();
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvidenceRecord e
        && key.equals(e.key)
        && signer.equals(e.signer)
        && index == e.index
        && Arrays.equals(evidence, e.evidence);
  }

  @Override
  public int hashCode() {
    return ((31 * key.hashCode() + signer.hashCode()) * 31 + index) * 31
        + Arrays.hashCode(evidence);
  }

  @Override
  public String toString() {
    return "EvidenceRecord["
        + key
        + ", "
        + signer
        + ", #"
        + index
        + ", "
        + evidence.length
        + " bytes]";
  }
}
