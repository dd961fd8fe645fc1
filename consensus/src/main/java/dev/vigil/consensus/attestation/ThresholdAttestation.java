package dev.vigil.consensus.attestation;

import dev.vigil.frost.FrostSignature;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.Arrays;
import java.util.Objects;

/**
 * An attestation v2 (threshold mode): {@code version u8 = 2 | groupKeyIndex u32 | R (33 B
 * compressed) | z (32 B) | body}. One FROST(secp256k1, SHA-256) signature (RFC 9591) by a threshold
 * of the committee whose index is {@code groupKeyIndex}, over the same 32-byte digest a v1 guardian
 * signs ({@code keccak256(keccak256(body))}). The body is v1's.
 *
 * <p>Construction checks only lengths and ranges; {@link ThresholdVerifier} decides validity.
 */
public record ThresholdAttestation(long groupKeyIndex, byte[] signature, Body body) {
  public static final int VERSION_2 = 2;

  /** version + group key index + R + z. */
  public static final int HEADER_LENGTH = 1 + 4 + FrostSignature.SIZE;

  public ThresholdAttestation {
    Unsigned.checkU32("groupKeyIndex", groupKeyIndex);
    Objects.requireNonNull(signature, "signature");
    if (signature.length != FrostSignature.SIZE)
      throw new IllegalArgumentException(
          "a threshold signature is R (33 B) || z (32 B) = 65 bytes, got " + signature.length);
    signature = signature.clone();
    Objects.requireNonNull(body, "body");
  }

  /** R (33 B) || z (32 B). */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public Digest digest() {
    return body.digest();
  }

  public MessageId messageId() {
    return body.messageId();
  }

  public byte[] encode() {
    byte[] b = new byte[HEADER_LENGTH + body.encodedLength()];
    b[0] = VERSION_2;
    Unsigned.putU32(b, 1, groupKeyIndex);
    System.arraycopy(signature, 0, b, 5, FrostSignature.SIZE);
    body.encodeInto(b, HEADER_LENGTH);
    return b;
  }

  /** Decodes a v2 attestation; never throws, whatever the bytes. */
  public static DecodeResult<ThresholdAttestation> decode(byte[] bytes) {
    if (bytes == null || bytes.length < 1)
      return new DecodeResult.Err<>(
          DecodeResult.Reason.TRUNCATED, "input is empty, expected version byte");
    int version = bytes[0] & 0xFF;
    if (version != VERSION_2)
      return new DecodeResult.Err<>(
          DecodeResult.Reason.WRONG_VERSION, "version is " + version + ", expected 2");
    if (bytes.length < HEADER_LENGTH + Body.MIN_LENGTH)
      return new DecodeResult.Err<>(
          DecodeResult.Reason.TRUNCATED,
          "input is "
              + bytes.length
              + " bytes; a v2 attestation is a 70-byte header (version, group key index, R, z) and a body of at least "
              + Body.MIN_LENGTH);
    return new DecodeResult.Ok<>(
        new ThresholdAttestation(
            Unsigned.u32(bytes, 1),
            Arrays.copyOfRange(bytes, 5, HEADER_LENGTH),
            Body.read(bytes, HEADER_LENGTH, bytes.length)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThresholdAttestation t
        && groupKeyIndex == t.groupKeyIndex
        && Arrays.equals(signature, t.signature)
        && body.equals(t.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(groupKeyIndex, Arrays.hashCode(signature), body);
  }

  @Override
  public String toString() {
    return "ThresholdAttestation[groupKeyIndex=" + groupKeyIndex + ", " + body.messageId() + "]";
  }
}
