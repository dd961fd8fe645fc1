package dev.vigil.consensus.attestation;

import dev.vigil.signing.Address;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A committee (Wormhole: guardian set): its index (u32) and its members in signer-index order. 1 to
 * 255 members, no duplicates.
 */
public record Committee(long index, List<Address> members) {
  public static final int MAX_MEMBERS = 255;

  public Committee {
    Unsigned.checkU32("committee index", index);
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    if (members.isEmpty() || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("a committee has 1 to 255 members, got " + members.size());
    }
    Set<Address> seen = new HashSet<>();
    for (int i = 0; i < members.size(); i++) {
      if (!seen.add(members.get(i))) {
        throw new IllegalArgumentException(
            "committee "
                + index
                + " lists member "
                + members.get(i)
                + " twice (again at index "
                + i
                + ")");
      }
    }
  }

  /** floor(2n/3) + 1: the smallest number of signatures that is more than two thirds of n. */
  public static int quorum(int n) {
    if (n < 1 || n > MAX_MEMBERS)
      throw new IllegalArgumentException("committee size must be 1..255, got " + n);
    return n * 2 / 3 + 1;
  }

  public int quorum() {
    return quorum(members.size());
  }

  public int size() {
    return members.size();
  }

  public Address member(int signerIndex) {
    return members.get(signerIndex);
  }

  /** The signer index of an address, if it is a member. */
  public OptionalInt indexOf(Address address) {
    int i = members.indexOf(address);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
  }
}
