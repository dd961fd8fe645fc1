package dev.vigil.consensus.attestation;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.MessageId;
import java.util.Arrays;
import java.util.Objects;

/**
 * The signed part of an attestation: {@code timestamp u32 | nonce u32 | emitterChain u16 |
 * emitterAddress 32B | sequence u64 | consistencyLevel u8 | payload}. The payload has no length
 * prefix: it runs to the end of the attestation.
 *
 * <p>timestamp and nonce are u32 held in longs; sequence is u64 held in a long (unsigned).
 */
public record Body(
    long timestamp,
    long nonce,
    int emitterChain,
    Bytes32 emitterAddress,
    long sequence,
    int consistencyLevel,
    byte[] payload) {

  /** Length of the fixed fields; a body is at least this long (empty payload). */
  public static final int MIN_LENGTH = 4 + 4 + 2 + Bytes32.LENGTH + 8 + 1;

  public Body {
    Unsigned.checkU32("timestamp", timestamp);
    Unsigned.checkU32("nonce", nonce);
    Unsigned.checkU16("emitterChain", emitterChain);
    Objects.requireNonNull(emitterAddress, "emitterAddress");
    Unsigned.checkU8("consistencyLevel", consistencyLevel);
    payload = Objects.requireNonNull(payload, "payload").clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public int payloadLength() {
    return payload.length;
  }

  public MessageId messageId() {
    return new MessageId(emitterChain, emitterAddress, sequence);
  }

  public int encodedLength() {
    return MIN_LENGTH + payload.length;
  }

  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    encodeInto(out, 0);
    return out;
  }

  void encodeInto(byte[] out, int off) {
    Unsigned.putU32(out, off, timestamp);
    Unsigned.putU32(out, off + 4, nonce);
    Unsigned.putU16(out, off + 8, emitterChain);
    emitterAddress.copyTo(out, off + 10);
    Unsigned.putU64(out, off + 42, sequence);
    out[off + 50] = (byte) consistencyLevel;
    System.arraycopy(payload, 0, out, off + MIN_LENGTH, payload.length);
  }

  /** keccak256(keccak256(encode())): what guardians sign. */
  public Digest digest() {
    return digestOf(encode());
  }

  /** keccak256(keccak256(encodedBody)), the Wormhole VAA v1 digest of an already encoded body. */
  public static Digest digestOf(byte[] encodedBody) {
    return Digest.wrap(Keccak256.hash(Keccak256.hash(encodedBody)));
  }

  /** Reads a body that spans buf[off, end); the caller has checked end - off >= MIN_LENGTH. */
  static Body read(byte[] buf, int off, int end) {
    return new Body(
        Unsigned.u32(buf, off),
        Unsigned.u32(buf, off + 4),
        Unsigned.u16(buf, off + 8),
        Bytes32.copyOf(buf, off + 10),
        Unsigned.u64(buf, off + 42),
        Unsigned.u8(buf, off + 50),
        Arrays.copyOfRange(buf, off + MIN_LENGTH, end));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Body b
        && timestamp == b.timestamp
        && nonce == b.nonce
        && emitterChain == b.emitterChain
        && emitterAddress.equals(b.emitterAddress)
        && sequence == b.sequence
        && consistencyLevel == b.consistencyLevel
        && Arrays.equals(payload, b.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, nonce, emitterChain, emitterAddress, sequence, consistencyLevel)
            * 31
        + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    String p =
        payload.length <= 64
            ? Hex.encode(payload)
            : Hex.encode(Arrays.copyOf(payload, 64)) + "…(" + payload.length + " bytes)";
    return "Body["
        + messageId()
        + ", timestamp="
        + timestamp
        + ", nonce="
        + nonce
        + ", consistencyLevel="
        + consistencyLevel
        + ", payload="
        + p
        + "]";
  }
}
