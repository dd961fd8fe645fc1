package dev.vigil.consensus.attestation;

import dev.vigil.signing.Signature;
import java.util.Comparator;
import java.util.Objects;

/** One committee member's signature on a digest: {@code signerIndex u8 | r 32B | s 32B | v u8}. */
public record GuardianSignature(int signerIndex, Signature signature) {
  public static final int ENCODED_LENGTH = 1 + Signature.LENGTH;

  /** The order an attestation carries its signatures in. */
  public static final Comparator<GuardianSignature> BY_SIGNER_INDEX =
      Comparator.comparingInt(GuardianSignature::signerIndex);

  public GuardianSignature {
    Unsigned.checkU8("signerIndex", signerIndex);
    Objects.requireNonNull(signature, "signature");
  }

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    encodeInto(out, 0);
    return out;
  }

  void encodeInto(byte[] out, int off) {
    out[off] = (byte) signerIndex;
    System.arraycopy(signature.toBytes(), 0, out, off + 1, Signature.LENGTH);
  }
}
