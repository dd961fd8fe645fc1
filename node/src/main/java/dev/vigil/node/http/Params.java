package dev.vigil.node.http;

import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import java.util.HexFormat;

/** Parses the API's path and query values; each refusal is an {@link ApiError} naming the value. */
final class Params {
  /** Longest input echoed back in an error (a hostile client may send kilobytes). */
  private static final int ECHO_MAX = 80;

  private Params() {}

  static int chain(String name, String text) {
    if (text.isEmpty() || text.length() > 5 || !digits(text) || Integer.parseInt(text) > 0xFFFF) {
      throw ApiError.badRequest(
          "invalid " + name,
          name + " must be an unsigned 16-bit integer (0..65535), got " + quote(text));
    }
    return Integer.parseInt(text);
  }

  /** A count from 1 to {@code max}. */
  static int limit(String name, String text, int max) {
    if (text.isEmpty()
        || text.length() > 9
        || !digits(text)
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > max) {
      throw ApiError.badRequest(
          "invalid " + name,
          name + " must be an integer from 1 to " + max + ", got " + quote(text));
    }
    return Integer.parseInt(text);
  }

  static long sequence(String name, String text) {
    // parseUnsignedLong alone would accept a leading '+'
    if (text.isEmpty() || text.length() > 20 || !digits(text)) {
      throw ApiError.badRequest(
          "invalid " + name, name + " must be an unsigned 64-bit integer, got " + quote(text));
    }
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException tooLarge) {
      throw ApiError.badRequest(
          "invalid " + name,
          name
              + " must be an unsigned 64-bit integer (at most 18446744073709551615), got "
              + quote(text));
    }
  }

  /** 64 hex digits, or 40 (a 20-byte EVM address, left-padded to 32 bytes); 0x optional. */
  static Bytes32 emitter(String name, String text) {
    String hex = hexDigits(name, text);
    if (hex.length() == 64) return Bytes32.wrap(HexFormat.of().parseHex(hex));
    if (hex.length() == 40) {
      byte[] padded = new byte[32];
      System.arraycopy(HexFormat.of().parseHex(hex), 0, padded, 12, 20);
      return Bytes32.wrap(padded);
    }
    throw ApiError.badRequest(
        "invalid " + name,
        name
            + " must be 64 hex digits (32 bytes) or 40 hex digits (a 20-byte address), 0x optional; got "
            + hex.length()
            + " digits");
  }

  static byte[] digest(String name, String text) {
    String hex = hexDigits(name, text);
    if (hex.length() != 64) {
      throw ApiError.badRequest(
          "invalid " + name,
          name + " must be 64 hex digits (32 bytes), 0x optional; got " + hex.length() + " digits");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** A guardian's 20-byte address: 40 hex digits, 0x optional; mixed case must be EIP-55. */
  static Address address(String name, String text) {
    String hex = hexDigits(name, text);
    if (hex.length() != 40) {
      throw ApiError.badRequest(
          "invalid " + name,
          name
              + " must be 40 hex digits (a 20-byte address), 0x optional; got "
              + hex.length()
              + " digits in "
              + quote(text));
    }
    try {
      return Address.fromHex(hex);
    } catch (IllegalArgumentException badChecksum) {
      throw ApiError.badRequest(
          "invalid " + name,
          name
              + " mixes upper and lower case but is not its EIP-55 checksum form: "
              + quote(text)
              + " (write it in one case, or check it for a typo)");
    }
  }

  static MessageId messageId(String chain, String emitter, String sequence) {
    return new MessageId(
        chain("chain", chain), emitter("emitter", emitter), sequence("sequence", sequence));
  }

  private static String hexDigits(String name, String text) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0 || hex.charAt(i) > 0x7f) {
        throw ApiError.badRequest(
            "invalid " + name,
            name
                + " must be hex, got "
                + quote(text)
                + " (character "
                + quote(String.valueOf(hex.charAt(i)))
                + " at position "
                + (text.length() - hex.length() + i)
                + ")");
      }
    }
    return hex;
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  static String quote(String text) {
    return "'" + shorten(text) + "'";
  }

  static String shorten(String text) {
    return text.length() <= ECHO_MAX
        ? text
        : text.substring(0, ECHO_MAX) + "…(" + text.length() + " chars)";
  }
}
