package dev.vigil.consensus.governance;

import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Decodes governance payloads; never throws, whatever the bytes. */
public final class GovernanceCodec {
  private static final Address ZERO = Address.wrap(new byte[Address.LENGTH]);

  private GovernanceCodec() {}

  /** Decodes a committee rotation (guardian-set upgrade) payload. */
  public static RotationResult decodeRotation(byte[] p) {
    if (p == null) return err(RotationError.BAD_LENGTH, "payload is null");
    if (p.length < 32) {
      return err(
          RotationError.BAD_LENGTH,
          "payload is " + p.length + " bytes, the module field alone is 32");
    }
    if (!Arrays.equals(p, 0, 32, CommitteeRotation.MODULE, 0, 32)) {
      return err(
          RotationError.WRONG_MODULE,
          "module is 0x"
              + Hex.encode(Arrays.copyOf(p, 32))
              + ", expected \"Core\" left-padded to 32 bytes");
    }
    if (p.length < 33)
      return err(RotationError.BAD_LENGTH, "payload ends before the action byte (offset 32)");
    int action = p[32] & 0xFF;
    if (action != CommitteeRotation.ACTION) {
      return err(
          RotationError.WRONG_ACTION, "action is " + action + ", expected 2 (committee rotation)");
    }
    if (p.length < CommitteeRotation.FIXED_LENGTH) {
      return err(
          RotationError.BAD_LENGTH,
          "payload is "
              + p.length
              + " bytes, ends inside "
              + (p.length < 35
                  ? "the chain field (offset 33)"
                  : p.length < 39
                      ? "the new index field (offset 35)"
                      : "the member count (offset 39)"));
    }
    int chain = ((p[33] & 0xFF) << 8) | (p[34] & 0xFF);
    long newIndex =
        ((long) (p[35] & 0xFF) << 24)
            | ((p[36] & 0xFF) << 16)
            | ((p[37] & 0xFF) << 8)
            | (p[38] & 0xFF);
    int n = p[39] & 0xFF;
    if (n == 0)
      return err(
          RotationError.ZERO_MEMBERS, "member count is 0, a committee needs at least 1 member");
    int expected = CommitteeRotation.FIXED_LENGTH + n * Address.LENGTH;
    if (p.length < expected) {
      int member = (p.length - CommitteeRotation.FIXED_LENGTH) / Address.LENGTH;
      return err(
          RotationError.BAD_LENGTH,
          "member count is "
              + n
              + ", payload ends inside member #"
              + member
              + "'s address ("
              + p.length
              + " of "
              + expected
              + " bytes)");
    }
    if (p.length > expected) {
      return err(
          RotationError.BAD_LENGTH,
          (p.length - expected)
              + " bytes after the last of "
              + n
              + " members (payload is "
              + p.length
              + " bytes, expected "
              + expected
              + ")");
    }
    List<Address> members = new ArrayList<>(n);
    Map<Address, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int off = CommitteeRotation.FIXED_LENGTH + i * Address.LENGTH;
      Address a = Address.wrap(Arrays.copyOfRange(p, off, off + Address.LENGTH));
      if (a.equals(ZERO))
        return err(RotationError.ZERO_ADDRESS_MEMBER, "member #" + i + " is the zero address");
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        return err(
            RotationError.DUPLICATE_MEMBER, "member #" + i + " " + a + " repeats member #" + first);
      }
      members.add(a);
    }
    return new RotationResult.Ok(new CommitteeRotation(chain, newIndex, members));
  }

  static RotationResult err(RotationError error, String detail) {
    return new RotationResult.Err(error, detail);
  }
}
