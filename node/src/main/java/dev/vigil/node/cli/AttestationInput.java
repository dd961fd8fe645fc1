package dev.vigil.node.cli;

import dev.vigil.signing.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/** An attestation given on the command line: hex (0x optional), base64, or @FILE. */
final class AttestationInput {
  /** VAAs are at most a few kilobytes; a file far larger is not one. */
  static final int MAX_FILE_BYTES = 1 << 20;

  private AttestationInput() {}

  /**
   * @throws IOException saying what the argument is not
   */
  static byte[] parse(String arg) throws IOException {
    if (arg.startsWith("@")) {
      Path file = Path.of(arg.substring(1));
      if (!Files.isRegularFile(file))
        throw new NoSuchFileException(file.toString(), null, "no attestation file there");
      if (Files.size(file) > MAX_FILE_BYTES)
        throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
      byte[] bytes = Files.readAllBytes(file);
      // a file holds hex or base64 text, or the raw bytes (which start with version 1, not text)
      return isText(bytes)
          ? text(new String(bytes, StandardCharsets.US_ASCII), file.toString())
          : bytes;
    }
    return text(arg, "ATTESTATION");
  }

  private static boolean isText(byte[] bytes) {
    if (bytes.length == 0) return true;
    for (byte b : bytes) {
      if (b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e) return false;
    }
    return true;
  }

  private static byte[] text(String s, String what) throws IOException {
    String t = s.replaceAll("\\s+", "");
    if (t.isEmpty()) throw new IOException(what + " is empty");
    if (t.startsWith("0x") || t.startsWith("0X")) {
      try {
        return Hex.decode(t);
      } catch (IllegalArgumentException e) {
        throw new IOException(what + " starts with 0x but is not hex: " + e.getMessage());
      }
    }
    if (t.matches("(?:[0-9a-fA-F]{2})+")) return Hex.decode(t);
    for (Base64.Decoder d : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
      try {
        return d.decode(t);
      } catch (IllegalArgumentException notThisAlphabet) {
        // try the next
      }
    }
    throw new IOException(what + " is neither hex nor base64 (and not @FILE)");
  }
}
