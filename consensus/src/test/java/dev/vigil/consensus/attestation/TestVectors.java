package dev.vigil.consensus.attestation;

import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared Wormhole mainnet vectors. Stand-in until dev.vigil.signing.testing.Vectors lands in
 * the signing test-jar: finds {@code shared/vectors} by walking up from user.dir.
 */
final class TestVectors {
  record Vaa(String name, long committeeIndex, Digest digest, byte[] bytes) {
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final String UPGRADE = "guardian-set-upgrade-4-to-5";
  static final String SUI_TRANSFER = "sui-token-bridge-transfer-seq-196444";

  private TestVectors() {}

  static Path dir() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      for (Path candidate : List.of(p.resolve("shared/vectors"), p.resolve("../shared/vectors"))) {
        if (Files.isDirectory(candidate)) return candidate.normalize();
      }
    }
    throw new IllegalStateException("no shared/vectors directory above " + System.getProperty("user.dir"));
  }

  static List<Vaa> mainnetVaas() {
    return lines("wormhole-mainnet-vaas.tsv").stream()
        .map(l -> l.split("\t"))
        .map(c -> new Vaa(c[0], Long.parseLong(c[1]), Digest.fromHex(c[2]), Hex.decode(c[3])))
        .toList();
  }

  static Vaa vaa(String name) {
    return mainnetVaas().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  static Committee guardianSet4() {
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
