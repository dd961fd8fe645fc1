package dev.vigil.storage.kv;

import java.util.function.Function;

/**
 * Turns values into bytes and back. {@link #decode} throws IllegalArgumentException (or any
 * RuntimeException) naming what is wrong; {@link KvColumn} turns that into a StorageException that
 * also names the column and the key.
 */
public interface KvCodec<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  static <T> KvCodec<T> of(Function<T, byte[]> encoder, Function<byte[], T> decoder) {
    return new KvCodec<>() {
      @Override
      public byte[] encode(T value) {
        return encoder.apply(value);
      }

      @Override
      public T decode(byte[] bytes) {
        return decoder.apply(bytes);
      }
    };
  }
}
