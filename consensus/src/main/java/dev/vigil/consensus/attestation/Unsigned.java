package dev.vigil.consensus.attestation;

/** Range checks and big-endian helpers for the fixed-width unsigned fields of the format. */
final class Unsigned {
  static final long U32_MAX = 0xFFFF_FFFFL;

  private Unsigned() {}

  static int checkU8(String field, int value) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException(field + " must fit in u8 (0..255), got " + value);
    }
    return value;
  }

  static int checkU16(String field, int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(field + " must fit in u16 (0..65535), got " + value);
    }
    return value;
  }

  static long checkU32(String field, long value) {
    if (value < 0 || value > U32_MAX) {
      throw new IllegalArgumentException(field + " must fit in u32 (0..4294967295), got " + value);
    }
    return value;
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (56 - 8 * i));
  }

  static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  static long u64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xFF);
    return v;
  }
}
