package dev.vigil.relayer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The relayer is a client of guardian nodes: it reaches them over HTTP only, so it can run on its
 * own machine, and it needs neither the node's actors nor its store.
 */
class RelayerArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.relayer");

  @Test
  void talksToNodesOverHttpOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.relayer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.vigil.node..",
            "dev.vigil.devnet..",
            "dev.vigil.testing..",
            "dev.vigil.storage..",
            "dev.vigil.consensus.actor..",
            "org.apache.pekko..",
            "org.rocksdb..")
        .check(MAIN);
  }
}
