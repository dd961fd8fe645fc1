package dev.vigil.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorsTest {
  @Test
  void theVectorsTravelWithTheProjectOnTheClasspath() {
    assertThat(Vectors.wormholeGuardianSet4()).hasSize(19);
    assertThat(Vectors.wormholeMainnetVaas()).isNotEmpty();
    assertThat(new String(Vectors.bytes(Vectors.FROST_RFC9591)))
        .contains("FROST(secp256k1, SHA-256)");
  }

  @Test
  void aMissingVectorIsNamed() {
    assertThatThrownBy(() -> Vectors.bytes("nope.tsv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/vectors/nope.tsv");
  }

  @Test
  void aCopyForCommandsThatTakeAPathHasTheSameBytes(@TempDir Path dir) throws Exception {
    Path p = Vectors.copyTo(dir, Vectors.WORMHOLE_GUARDIAN_SET_4);
    assertThat(Files.readAllBytes(p)).isEqualTo(Vectors.bytes(Vectors.WORMHOLE_GUARDIAN_SET_4));
  }
}
