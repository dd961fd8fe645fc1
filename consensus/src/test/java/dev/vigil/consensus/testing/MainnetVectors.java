package dev.vigil.consensus.testing;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Digest;
import dev.vigil.signing.testing.Vectors;
import java.util.List;

/**
 * The Wormhole mainnet vectors ({@link Vectors}) as consensus types: each VAA with its digest, and
 * guardian set 4 as a {@link Committee}.
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

  public static List<Vaa> vaas() {
    return Vectors.wormholeMainnetVaas().stream()
        .map(v -> new Vaa(v.name(), v.guardianSetIndex(), Digest.wrap(v.digest().clone()), v.vaa()))
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
    return new Committee(4, Vectors.wormholeGuardianSet4());
  }
}
