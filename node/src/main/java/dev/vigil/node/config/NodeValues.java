package dev.vigil.node.config;

import com.typesafe.config.ConfigValue;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The value kinds several parts of a node file share (file paths, host names, EVM addresses), read
 * through a {@link ConfigReader} so that a bad one is a problem naming its key.
 */
final class NodeValues {
  private final ConfigReader reader;
  private final Path baseDir;

  NodeValues(ConfigReader reader, Path baseDir) {
    this.reader = reader;
    this.baseDir = baseDir;
  }

  ConfigReader reader() {
    return reader;
  }

  /** A path, relative to the node file's directory unless absolute; "~/" is the home directory. */
  Path path(String path) {
    String s = reader.string(path);
    if (s == null) return null;
    if (s.isBlank()) {
      reader.problem(path, "expected a file path, got an empty string", reader.value(path));
      return null;
    }
    if (s.equals("~") || s.startsWith("~/")) s = System.getProperty("user.home") + s.substring(1);
    try {
      return baseDir.resolve(s).normalize();
    } catch (InvalidPathException e) {
      reader.problem(
          path,
          "expected a file path, got \"" + s + "\" (" + e.getReason() + ")",
          reader.value(path));
      return null;
    }
  }

  String host(String path) {
    String h = reader.string(path);
    if (h == null) return null;
    if (h.isBlank() || h.contains("/") || h.contains(" ") || h.contains("@")) {
      reader.problem(
          path, "expected a host name or IP address, got \"" + h + "\"", reader.value(path));
      return null;
    }
    return h.strip();
  }

  Address address(String path) {
    ConfigValue v = reader.value(path);
    if (v == null) {
      reader.problem(path, "missing (expected a 20-byte hex address)");
      return null;
    }
    return address(path, v);
  }

  Address address(String path, ConfigValue v) {
    String s = reader.asString(path, v);
    if (s == null) return null;
    byte[] b = decodeHex(s);
    if (b == null || b.length != Address.LENGTH) {
      reader.problem(path, "expected a 20-byte hex address, got " + reader.describe(path, v), v);
      return null;
    }
    try {
      return Address.fromHex(s);
    } catch (IllegalArgumentException badChecksum) {
      reader.problem(
          path,
          "\""
              + s
              + "\" has a bad EIP-55 checksum (mixed-case hex must match it; lower case has none)",
          v);
      return null;
    }
  }

  /** The bytes of {@code 0x...} hex, or null; addresses are written 0x..., never bare. */
  static byte[] decodeHex(String s) {
    String t = s.strip();
    if (!(t.startsWith("0x") || t.startsWith("0X"))) return null;
    try {
      return Hex.decode(t);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
