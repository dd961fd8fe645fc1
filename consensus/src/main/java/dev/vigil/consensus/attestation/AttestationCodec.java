package dev.vigil.consensus.attestation;

import dev.vigil.signing.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes attestations (Wormhole VAA v1 layout, all integers big-endian):
 *
 * <pre>
 * version u8 = 1 | committeeIndex u32 | n u8 | n × (signerIndex u8 | r 32 | s 32 | v u8) | body
 * body = timestamp u32 | nonce u32 | emitterChain u16 | emitterAddress 32 | sequence u64 | consistencyLevel u8 | payload
 * </pre>
 *
 * <p><b>Trailing garbage.</b> The payload has no length prefix and runs to the end of the input, so
 * bytes appended to an attestation are not detectable by length: they become part of the payload,
 * change the digest, and the signatures then fail to verify (the verifier says WRONG_SIGNER or
 * BAD_SIGNATURE). Likewise a signature count that is too small makes the leftover signatures part
 * of the body, with the same effect. What <em>is</em> detectable is a count that is too large: the
 * signatures then run past the end, or leave fewer than {@link Body#MIN_LENGTH} = 51 bytes for the
 * body; both are {@link DecodeResult.Reason#TRUNCATED}. Encoding is the exact inverse of decoding:
 * {@code encode(decode(b)) == b} for every accepted b.
 */
public final class AttestationCodec {
  private AttestationCodec() {}

  public static byte[] encode(Attestation a) {
    byte[] out = new byte[a.encodedLength()];
    out[0] = (byte) a.version();
    Unsigned.putU32(out, 1, a.committeeIndex());
    out[5] = (byte) a.signatures().size();
    int off = Attestation.HEADER_LENGTH;
    for (GuardianSignature sig : a.signatures()) {
      sig.encodeInto(out, off);
      off += GuardianSignature.ENCODED_LENGTH;
    }
    a.body().encodeInto(out, off);
    return out;
  }

  /** Decodes an attestation; never throws, whatever the bytes. */
  public static DecodeResult<Attestation> decode(byte[] bytes) {
    if (bytes == null) return err(DecodeResult.Reason.TRUNCATED, "input is null");
    if (bytes.length < 1)
      return err(DecodeResult.Reason.TRUNCATED, "input is empty, expected version byte");
    int version = bytes[0] & 0xFF;
    if (version != Attestation.VERSION_1) {
      return err(DecodeResult.Reason.WRONG_VERSION, "version is " + version + ", expected 1");
    }
    if (bytes.length < Attestation.HEADER_LENGTH) {
      return err(
          DecodeResult.Reason.TRUNCATED,
          "input is "
              + bytes.length
              + " bytes, the header (version, committee index, signature count) needs 6");
    }
    long committeeIndex = Unsigned.u32(bytes, 1);
    int n = bytes[5] & 0xFF;
    int bodyStart = Attestation.HEADER_LENGTH + n * GuardianSignature.ENCODED_LENGTH;
    if (bytes.length < bodyStart) {
      return err(
          DecodeResult.Reason.TRUNCATED,
          "signature count is "
              + n
              + ", which needs "
              + bodyStart
              + " bytes up to the body, input is "
              + bytes.length);
    }
    if (bytes.length - bodyStart < Body.MIN_LENGTH) {
      return err(
          DecodeResult.Reason.TRUNCATED,
          "body is "
              + (bytes.length - bodyStart)
              + " bytes after "
              + n
              + " signatures, a body is at least "
              + Body.MIN_LENGTH);
    }
    List<GuardianSignature> sigs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int off = Attestation.HEADER_LENGTH + i * GuardianSignature.ENCODED_LENGTH;
      int signerIndex = bytes[off] & 0xFF;
      int v = bytes[off + 65] & 0xFF;
      if (v > 1) {
        return err(
            DecodeResult.Reason.BAD_RECOVERY_ID,
            "signature #"
                + i
                + " (signer "
                + signerIndex
                + ", offset "
                + (off + 65)
                + ") has v="
                + v
                + ", expected 0 or 1");
      }
      Signature sig =
          Signature.of(
              Arrays.copyOfRange(bytes, off + 1, off + 33),
              Arrays.copyOfRange(bytes, off + 33, off + 65),
              v);
      sigs.add(new GuardianSignature(signerIndex, sig));
    }
    return new DecodeResult.Ok<>(
        new Attestation(version, committeeIndex, sigs, Body.read(bytes, bodyStart, bytes.length)));
  }

  /** Decodes a bare body (e.g. carried in a peer's observation); never throws. */
  public static DecodeResult<Body> decodeBody(byte[] bytes) {
    if (bytes == null) return err(DecodeResult.Reason.TRUNCATED, "input is null");
    if (bytes.length < Body.MIN_LENGTH) {
      return err(
          DecodeResult.Reason.TRUNCATED,
          "body is " + bytes.length + " bytes, a body is at least " + Body.MIN_LENGTH);
    }
    return new DecodeResult.Ok<>(Body.read(bytes, 0, bytes.length));
  }

  private static <T> DecodeResult<T> err(DecodeResult.Reason reason, String detail) {
    return new DecodeResult.Err<>(reason, detail);
  }
}
