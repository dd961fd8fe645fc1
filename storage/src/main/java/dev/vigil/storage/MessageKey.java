package dev.vigil.storage;

import dev.vigil.signing.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A message identity: (emitterChain u16, emitterAddress bytes32, sequence u64). Encoded as 42 bytes
 * big-endian so that keys sort by chain, then emitter, then sequence (the sequence compares
 * unsigned, as a u64).
 */
public record MessageKey(int emitterChain, byte[] emitterAddress, long sequence) implements Comparable<MessageKey> {
  public static final int LENGTH = 2 + 32 + 8;

  public MessageKey {
    if (emitterChain < 0 || emitterChain > 0xffff) {
      throw new IllegalArgumentException("emitter chain must be a u16 (0..65535), got " + emitterChain);
    }
    if (emitterAddress == null || emitterAddress.length != 32) {
      throw new IllegalArgumentException(
          "emitter address must be 32 bytes, got " + (emitterAddress == null ? "null" : emitterAddress.length));
    }
    emitterAddress = emitterAddress.clone();
  }

  @Override
  public byte[] emitterAddress() {
    return emitterAddress.clone();
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(LENGTH).putShort((short) emitterChain).put(emitterAddress).putLong(sequence).array();
  }

  /** Parses the 42-byte form; throws IllegalArgumentException naming the problem. */
  public static MessageKey fromBytes(byte[] b) {
    if (b == null || b.length != LENGTH) {
      throw new IllegalArgumentException("a message key is " + LENGTH + " bytes, got " + (b == null ? "null" : b.length));
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    int chain = buf.getShort() & 0xffff;
    byte[] emitter = new byte[32];
    buf.get(emitter);
    return new MessageKey(chain, emitter, buf.getLong());
  }

  /** Key prefix of every message from one chain. */
  static byte[] prefix(int emitterChain) {
    return new byte[] {(byte) (emitterChain >>> 8), (byte) emitterChain};
  }

  /** Key prefix of every message from one emitter. */
  static byte[] prefix(int emitterChain, byte[] emitterAddress) {
    return Arrays.copyOf(new MessageKey(emitterChain, emitterAddress, 0).toBytes(), 34);
  }

  @Override
  public int compareTo(MessageKey o) {
    return Arrays.compareUnsigned(toBytes(), o.toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageKey k
        && emitterChain == k.emitterChain
        && sequence == k.sequence
        && Arrays.equals(emitterAddress, k.emitterAddress);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * emitterChain + Arrays.hashCode(emitterAddress)) + Long.hashCode(sequence);
  }

  /** Wormhole's "chain/emitter/sequence" form, as the HTTP API uses it. */
  @Override
  public String toString() {
    return emitterChain + "/" + Hex.encode(emitterAddress) + "/" + Long.toUnsignedString(sequence);
  }
}
