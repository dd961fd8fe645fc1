package dev.vigil.node.config;

import dev.vigil.signing.Bytes32;
import java.util.Objects;

/** The emitter whose attestations rotate the committee. */
public record GovernanceSettings(int chain, Bytes32 emitter) {
  public GovernanceSettings {
    Objects.requireNonNull(emitter, "emitter");
  }
}
