package dev.vigil.consensus.governance;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A committee rotation (Wormhole guardian-set upgrade) governance payload: {@code module "Core" (32
 * B, left-padded) | action u8 = 2 | chain u16 (0 = all) | newIndex u32 | n u8 | n × address 20 B}.
 */
public record CommitteeRotation(int targetChain, long newIndex, List<Address> members) {
  public static final int ACTION = 2;

  /** "Core" left-padded with zeros to 32 bytes. */
  static final byte[] MODULE = module();

  /** module + action + chain + newIndex + n. */
  public static final int FIXED_LENGTH = 32 + 1 + 2 + 4 + 1;

  public CommitteeRotation {
    if (targetChain < 0 || targetChain > 0xFFFF) {
      throw new IllegalArgumentException("target chain must fit in u16, got " + targetChain);
    }
    if (newIndex < 0 || newIndex > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("new committee index must fit in u32, got " + newIndex);
    }
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    if (members.size() > Committee.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "at most 255 members fit in a rotation, got " + members.size());
    }
  }

  /**
   * The committee this rotation installs; throws IllegalArgumentException if it is not a valid
   * committee.
   */
  public Committee toCommittee() {
    return new Committee(newIndex, members);
  }

  public byte[] encode() {
    byte[] out = new byte[FIXED_LENGTH + members.size() * Address.LENGTH];
    System.arraycopy(MODULE, 0, out, 0, 32);
    out[32] = ACTION;
    out[33] = (byte) (targetChain >>> 8);
    out[34] = (byte) targetChain;
    for (int i = 0; i < 4; i++) out[35 + i] = (byte) (newIndex >>> (24 - 8 * i));
    out[39] = (byte) members.size();
    for (int i = 0; i < members.size(); i++) {
      System.arraycopy(
          members.get(i).toBytes(), 0, out, FIXED_LENGTH + i * Address.LENGTH, Address.LENGTH);
    }
    return out;
  }

  private static byte[] module() {
    byte[] m = new byte[32];
    byte[] core = "Core".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(core, 0, m, 32 - core.length, core.length);
    return m;
  }
}
