package dev.vigil.consensus.testing;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.Digest;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared Wormhole mainnet vectors (real VAAs and guardian set 4). Finds {@code shared/vectors}
 * by walking up from user.dir. Stand-in until dev.vigil.signing.testing.Vectors lands in the
 * signing test-jar; public so that other consensus test packages can use it.
 */
public final class MainnetVectors {
  /** One row of wormhole-mainnet-vaas.tsv. */
  public record Vaa(String name, long committeeIndex, Digest digest, byte[] bytes) {
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static final String UPGRADE_4_TO_5 = "guardian-set-upgrade-4-to-5";
  public static final String SUI_TRANSFER = "sui-token-bridge-transfer-seq-196444";

  private MainnetVectors() {}

  public static Path dir() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      for (Path candidate : List.of(p.resolve("shared/vectors"), p.resolve("../shared/vectors"))) {
        if (Files.isDirectory(candidate)) return candidate.normalize();
      }
    }
    throw new IllegalStateException("no shared/vectors directory above " + start);
  }

  public static List<Vaa> vaas() {
    return lines("wormhole-mainnet-vaas.tsv").stream()
        .map(l -> l.split("\t"))
        .map(c -> new Vaa(c[0], Long.parseLong(c[1]), Digest.fromHex(c[2]), Hex.decode(c[3])))
        .toList();
  }

  public static Vaa vaa(String name) {
    return vaas().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vector named " + name));
  }

  /** Wormhole mainnet guardian set 4 (19 members), which signed both VAAs. */
  public static Committee guardianSet4() {
    return new Committee(4, lines("wormhole-guardian-set-4.txt").stream().map(Address::fromHex).toList());
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(dir().resolve(file)).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
