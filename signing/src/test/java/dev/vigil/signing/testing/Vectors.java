package dev.vigil.signing.testing;

import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the shared test vectors ({@code shared/vectors}) from any module's test run, and reads the
 * Wormhole mainnet data in them. Other modules use it through the signing test-jar.
 */
public final class Vectors {
  /** Overrides the search: the vectors directory itself. */
  public static final String DIR_PROPERTY = "vigil.vectors.dir";
  public static final String WORMHOLE_VAAS = "wormhole-mainnet-vaas.tsv";
  public static final String WORMHOLE_GUARDIAN_SET_4 = "wormhole-guardian-set-4.txt";

  private static volatile Path dir;

  private Vectors() {}

  /**
   * The vectors directory: {@value #DIR_PROPERTY} if set, else the first {@code shared/vectors} found
   * walking up from {@code user.dir} (so it works from a module dir, a repo root or a worktree).
   */
  public static Path dir() {
    Path d = dir;
    if (d == null) dir = d = locate(System.getProperty(DIR_PROPERTY), Path.of(System.getProperty("user.dir")));
    return d;
  }

  static Path locate(String override, Path start) {
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override).toAbsolutePath().normalize();
      if (!Files.isDirectory(p)) {
        throw new IllegalStateException("-D" + DIR_PROPERTY + "=" + override + " is not a directory");
      }
      return p;
    }
    for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("vectors");
      if (Files.isDirectory(candidate)) return candidate;
    }
    throw new IllegalStateException(
        "test vectors not found: no shared/vectors directory in " + start.toAbsolutePath()
            + " or any parent of it; run the build from the Vigil checkout or set -D" + DIR_PROPERTY + "=<dir>");
  }

  /** A file in the vectors directory; fails naming the path when it is missing. */
  public static Path file(String name) {
    Path p = dir().resolve(name);
    if (!Files.isRegularFile(p)) throw new IllegalStateException("test vector file missing: " + p);
    return p;
  }

  /** The file's lines without blank lines and {@code #} comments. */
  public static List<String> dataLines(String name) {
    try {
      return Files.readAllLines(file(name)).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Wormhole mainnet guardian set 4, in guardian index order (19 addresses). */
  public static List<Address> wormholeGuardianSet4() {
    return dataLines(WORMHOLE_GUARDIAN_SET_4).stream().map(Address::fromHex).toList();
  }

  /** Real Wormhole mainnet VAAs (v1), every signature by guardian set 4. */
  public static List<WormholeVaa> wormholeMainnetVaas() {
    List<WormholeVaa> out = new ArrayList<>();
    for (String line : dataLines(WORMHOLE_VAAS)) {
      String[] f = line.split("\t");
      if (f.length != 4) {
        throw new IllegalStateException(WORMHOLE_VAAS + ": expected 4 tab-separated columns, got " + f.length + ": " + line);
      }
      out.add(new WormholeVaa(f[0], Long.parseLong(f[1]), Hex.decode(f[2]), Hex.decode(f[3])));
    }
    return out;
  }

  /**
   * One row of {@value #WORMHOLE_VAAS}: name, guardian set index, the published digest
   * (keccak256(keccak256(body))) and the whole VAA. The arrays are the fixture's own; copy before mutating.
   */
  public record WormholeVaa(String name, long guardianSetIndex, byte[] digest, byte[] vaa) {
    @Override
    public String toString() {
      return "WormholeVaa[" + name + "]";
    }
  }
}
