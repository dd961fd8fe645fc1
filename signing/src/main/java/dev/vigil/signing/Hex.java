package dev.vigil.signing;

import java.util.HexFormat;

/** Hex helpers that accept an optional 0x prefix and name what was wrong on bad input. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  public static String encode0x(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  /** Decodes hex with or without 0x; throws IllegalArgumentException naming the problem. */
  public static byte[] decode(String hex) {
    if (hex == null) throw new IllegalArgumentException("hex string is null");
    String s = hex.strip();
    if (s.startsWith("0x") || s.startsWith("0X")) s = s.substring(2);
    if ((s.length() & 1) != 0) {
      throw new IllegalArgumentException(
          "hex string has an odd number of digits (" + s.length() + ")");
    }
    try {
      return HEX.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex string: " + e.getMessage());
    }
  }
}
