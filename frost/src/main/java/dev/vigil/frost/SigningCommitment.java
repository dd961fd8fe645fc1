package dev.vigil.frost;

import dev.vigil.signing.Hex;
import java.util.Arrays;

/**
 * A participant's round-one output, sent to the coordinator: its identifier and the commitments to
 * its hiding and binding nonces (33-byte compressed points). Public data.
 *
 * @throws IllegalArgumentException on construction, naming the participant and which point is bad
 *     (wrong length, not on the curve, the identity)
 */
public record SigningCommitment(int identifier, byte[] hiding, byte[] binding) {
  public SigningCommitment {
    Ciphersuite.checkIdentifier(identifier);
    hiding =
        Ciphersuite.checkElement(hiding, "hiding nonce commitment of participant " + identifier);
    binding =
        Ciphersuite.checkElement(binding, "binding nonce commitment of participant " + identifier);
  }

  @Override
  public byte[] hiding() {
    return hiding.clone();
  }

  @Override
  public byte[] binding() {
    return binding.clone();
  }

  /**
   * identifier (32-byte scalar) || hiding || binding, one entry of encode_group_commitment_list.
   */
  byte[] encode() {
    return Ciphersuite.concat(Ciphersuite.serializeIdentifier(identifier), hiding, binding);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningCommitment c
        && c.identifier == identifier
        && Arrays.equals(c.hiding, hiding)
        && Arrays.equals(c.binding, binding);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * identifier + Arrays.hashCode(hiding)) + Arrays.hashCode(binding);
  }

  @Override
  public String toString() {
    return "SigningCommitment[participant "
        + identifier
        + ", hiding "
        + Hex.encode(hiding)
        + ", binding "
        + Hex.encode(binding)
        + "]";
  }
}
