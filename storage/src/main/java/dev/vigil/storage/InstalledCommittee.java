package dev.vigil.storage;

import dev.vigil.signing.Address;
import java.util.List;
import java.util.Objects;

/**
 * A committee this guardian switched to after its rotation attestation had quorum: its index, its
 * members in signer-index order, when this node installed it, and the rotation attestation itself
 * (the proof, as a verifier or an operator can check it again).
 */
public record InstalledCommittee(
    long index, List<Address> members, long installedAtMillis, byte[] rotationAttestation) {
  public InstalledCommittee {
    if (index < 0 || index > 0xFFFF_FFFFL)
      throw new IllegalArgumentException("committee index must be a u32, got " + index);
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    if (members.isEmpty() || members.size() > 255)
      throw new IllegalArgumentException("a committee has 1 to 255 members, got " + members.size());
    rotationAttestation =
        Objects.requireNonNull(rotationAttestation, "rotationAttestation").clone();
  }

  @Override
  public byte[] rotationAttestation() {
    return rotationAttestation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstalledCommittee c
        && index == c.index
        && members.equals(c.members)
        && installedAtMillis == c.installedAtMillis
        && java.util.Arrays.equals(rotationAttestation, c.rotationAttestation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, members, installedAtMillis);
  }

  @Override
  public String toString() {
    return "InstalledCommittee["
        + index
        + ", "
        + members.size()
        + " members, at "
        + installedAtMillis
        + "]";
  }
}
