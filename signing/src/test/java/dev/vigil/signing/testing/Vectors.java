package dev.vigil.signing.testing;

import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's test vectors: real Wormhole mainnet VAAs with the guardian set that signed them,
 * and the RFC 9591 FROST(secp256k1, SHA-256) vector. They live in {@code
 * signing/src/test/resources/vectors/} and reach other modules' tests on the classpath, through the
 * signing test-jar.
 */
public final class Vectors {
  public static final String WORMHOLE_VAAS = "wormhole-mainnet-vaas.tsv";
  public static final String WORMHOLE_GUARDIAN_SET_4 = "wormhole-guardian-set-4.txt";
  public static final String FROST_RFC9591 = "frost-secp256k1-sha256-rfc9591.json";

  private Vectors() {}

  /** A vector file's bytes; fails naming the file when it is not on the classpath. */
  public static byte[] bytes(String name) {
    String resource = "/vectors/" + name;
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null)
        throw new IllegalStateException("test vector missing from the classpath: " + resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vector " + resource, e);
    }
  }

  /** A copy of a vector file in {@code dir}, for commands that take a path. */
  public static Path copyTo(Path dir, String name) {
    try {
      return Files.write(dir.resolve(name), bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's lines without blank lines and {@code #} comments. */
  public static List<String> dataLines(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8)
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
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
        throw new IllegalStateException(
            WORMHOLE_VAAS + ": expected 4 tab-separated columns, got " + f.length + ": " + line);
      }
      out.add(new WormholeVaa(f[0], Long.parseLong(f[1]), Hex.decode(f[2]), Hex.decode(f[3])));
    }
    return out;
  }

  /**
   * One row of {@value #WORMHOLE_VAAS}: name, guardian set index, the published digest
   * (keccak256(keccak256(body))) and the whole VAA. The arrays are the fixture's own; copy before
   * mutating.
   */
  public record WormholeVaa(String name, long guardianSetIndex, byte[] digest, byte[] vaa) {
    @Override
    public String toString() {
      return "WormholeVaa[" + name + "]";
    }
  }
}
