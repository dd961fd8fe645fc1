package dev.vigil.storage;

import dev.vigil.signing.MessageId;
import java.util.Arrays;

/** An own observation awaiting quorum, as opaque bytes (consensus owns the format). */
public record PendingObservation(MessageId key, byte[] observation) {
  public PendingObservation {
    observation = observation.clone();
  }

  @Override
  public byte[] observation() {
    return observation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingObservation p
        && key.equals(p.key)
        && Arrays.equals(observation, p.observation);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(observation);
  }

  @Override
  public String toString() {
    return "PendingObservation[" + key + ", " + observation.length + " bytes]";
  }
}
