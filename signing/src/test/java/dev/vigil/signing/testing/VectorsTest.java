package dev.vigil.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorsTest {
  @Test
  void findsSharedVectorsInAnAncestorDirectory(@TempDir Path root) throws Exception {
    Path vectors = Files.createDirectories(root.resolve("shared/vectors"));
    Path deep = Files.createDirectories(root.resolve("wt/signing/signing"));
    assertThat(Vectors.locate(null, deep)).isEqualTo(vectors);
  }

  @Test
  void failsNamingWhereItLookedWhenThereAreNoVectors(@TempDir Path root) throws Exception {
    Path deep = Files.createDirectories(root.resolve("a/b"));
    assertThatThrownBy(() -> Vectors.locate(null, deep))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no shared/vectors directory in " + deep)
        .hasMessageContaining(Vectors.DIR_PROPERTY);
  }

  @Test
  void theOverrideMustBeADirectory(@TempDir Path root) {
    assertThatThrownBy(() -> Vectors.locate(root.resolve("nope").toString(), root))
        .hasMessageContaining("is not a directory");
    assertThat(Vectors.locate(root.toString(), Path.of("/"))).isEqualTo(root);
  }
}
