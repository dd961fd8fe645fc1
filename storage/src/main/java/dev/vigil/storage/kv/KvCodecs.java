package dev.vigil.storage.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Codecs for common key and value shapes. */
public final class KvCodecs {
  private KvCodecs() {}

  /** Bytes as they are (copied in both directions). */
  public static KvCodec<byte[]> bytes() {
    return KvCodec.of(byte[]::clone, byte[]::clone);
  }

  /** Bytes of exactly {@code length}; anything else fails to encode or decode. */
  public static KvCodec<byte[]> fixedBytes(int length) {
    return KvCodec.of(
        b -> {
          checkLength(b.length, length, "value");
          return b.clone();
        },
        b -> {
          checkLength(b.length, length, "stored value");
          return b.clone();
        });
  }

  /** A long as 8 big-endian bytes (sorts as an unsigned u64). */
  public static KvCodec<Long> u64() {
    return KvCodec.of(
        v -> ByteBuffer.allocate(8).putLong(v).array(),
        b -> {
          checkLength(b.length, 8, "u64");
          return ByteBuffer.wrap(b).getLong();
        });
  }

  /** An int as 4 big-endian bytes. */
  public static KvCodec<Integer> u32() {
    return KvCodec.of(
        v -> ByteBuffer.allocate(4).putInt(v).array(),
        b -> {
          checkLength(b.length, 4, "u32");
          return ByteBuffer.wrap(b).getInt();
        });
  }

  /**
   * Strict UTF-8: malformed bytes fail to decode instead of turning into replacement characters.
   */
  public static KvCodec<String> utf8() {
    return KvCodec.of(
        s -> s.getBytes(StandardCharsets.UTF_8),
        b -> {
          try {
            return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b))
                .toString();
          } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8: " + e);
          }
        });
  }

  static void checkLength(int actual, int expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + " must be " + expected + " bytes, got " + actual);
    }
  }
}
