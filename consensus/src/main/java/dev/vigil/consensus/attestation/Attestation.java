package dev.vigil.consensus.attestation;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.List;
import java.util.Objects;

/**
 * An attestation, byte-compatible with a Wormhole VAA v1: {@code version u8 | committeeIndex u32 |
 * n u8 | n × GuardianSignature | body}.
 *
 * <p>Construction checks only field ranges, so that an attestation read off the wire can be held
 * and judged; whether it is <em>valid</em> (version, ordering, quorum, signers) is decided by
 * {@link AttestationVerifier}.
 */
public record Attestation(
    int version, long committeeIndex, List<GuardianSignature> signatures, Body body) {
  public static final int VERSION_1 = 1;

  /** version + committeeIndex + signature count. */
  public static final int HEADER_LENGTH = 1 + 4 + 1;

  public static final int MAX_SIGNATURES = 255;

  public Attestation {
    Unsigned.checkU8("version", version);
    Unsigned.checkU32("committeeIndex", committeeIndex);
    signatures = List.copyOf(Objects.requireNonNull(signatures, "signatures"));
    if (signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          "at most 255 signatures fit in an attestation, got " + signatures.size());
    }
    Objects.requireNonNull(body, "body");
  }

  /** A version-1 attestation. */
  public static Attestation v1(long committeeIndex, List<GuardianSignature> signatures, Body body) {
    return new Attestation(VERSION_1, committeeIndex, signatures, body);
  }

  public Digest digest() {
    return body.digest();
  }

  public MessageId messageId() {
    return body.messageId();
  }

  public int encodedLength() {
    return HEADER_LENGTH
        + signatures.size() * GuardianSignature.ENCODED_LENGTH
        + body.encodedLength();
  }

  public byte[] encode() {
    return AttestationCodec.encode(this);
  }
}
