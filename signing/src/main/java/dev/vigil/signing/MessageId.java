package dev.vigil.signing;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Objects;

/**
 * A message's identity: (emitterChain u16, emitterAddress bytes32, sequence u64). The sequence is
 * unsigned; it is held in a long and printed and compared as unsigned.
 *
 * <p>{@link #encode()} is the canonical 42-byte big-endian form (chain | address | sequence), the
 * key of every store kept by message. Its unsigned byte order equals {@link #compareTo} order, so
 * keys sort by chain, then emitter, then sequence.
 *
 * <p>Here, beside {@link Digest}, because the double-sign guard (storage), the attestation format
 * (consensus) and the relayer, which may not depend on storage, all name messages by it.
 */
public record MessageId(int emitterChain, Bytes32 emitterAddress, long sequence)
    implements Comparable<MessageId> {
  public static final int ENCODED_LENGTH = 2 + Bytes32.LENGTH + 8;

  private static final Comparator<MessageId> ORDER =
      Comparator.comparingInt(MessageId::emitterChain)
          .thenComparing(MessageId::emitterAddress)
          .thenComparing(MessageId::sequence, Long::compareUnsigned);

  public MessageId {
    if (emitterChain < 0 || emitterChain > 0xFFFF) {
      throw new IllegalArgumentException(
          "emitterChain must fit in u16 (0..65535), got " + emitterChain);
    }
    Objects.requireNonNull(emitterAddress, "emitterAddress");
  }

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer.wrap(out)
        .putShort((short) emitterChain)
        .put(emitterAddress.toBytes())
        .putLong(sequence);
    return out;
  }

  /** Inverse of {@link #encode()}; throws IllegalArgumentException on a length other than 42. */
  public static MessageId decode(byte[] encoded) {
    if (encoded == null || encoded.length != ENCODED_LENGTH) {
      throw new IllegalArgumentException(
          "an encoded message id is 42 bytes, got " + (encoded == null ? "null" : encoded.length));
    }
    ByteBuffer buf = ByteBuffer.wrap(encoded);
    int chain = buf.getShort() & 0xFFFF;
    Bytes32 emitter = Bytes32.copyOf(encoded, 2);
    return new MessageId(chain, emitter, buf.getLong(2 + Bytes32.LENGTH));
  }

  /**
   * Parses the {@link #toString()} form {@code chain/emitterHex/sequence} (the form of the HTTP API
   * path); throws IllegalArgumentException naming the bad part.
   */
  public static MessageId parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("a message id is chain/emitter/sequence, got: " + text);
    }
    int chain;
    try {
      chain = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("message id chain is not a number: " + parts[0]);
    }
    if (chain < 0 || chain > 0xFFFF) {
      throw new IllegalArgumentException("message id chain must be 0..65535, got " + parts[0]);
    }
    Bytes32 emitter;
    try {
      emitter = Bytes32.fromHex(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "message id emitter must be 64 hex digits: " + e.getMessage());
    }
    long seq;
    try {
      seq = Long.parseUnsignedLong(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("message id sequence is not a u64: " + parts[2]);
    }
    return new MessageId(chain, emitter, seq);
  }

  @Override
  public int compareTo(MessageId o) {
    return ORDER.compare(this, o);
  }

  /**
   * {@code chain/emitterHex/sequence}, e.g. {@code 2/0000…ab/17}, as Wormhole prints message ids.
   */
  @Override
  public String toString() {
    return emitterChain + "/" + emitterAddress.toHex() + "/" + Long.toUnsignedString(sequence);
  }
}
