package dev.vigil.node.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: only storage touches RocksDB; the node goes through its stores. */
class NodeBoundaryTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.node");

  @Test
  void nodeDoesNotTouchRocksDbDirectly() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .check(MAIN);
  }

  @Test
  void nodeDoesNotReachIntoTheKvLayer() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.vigil.storage.kv..")
        .check(MAIN);
  }

  @Test
  void nodeDependsOnNoToolingModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.node..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.vigil.testing..",
            "dev.vigil.devnet..",
            "dev.vigil.bench..",
            "dev.vigil.relayer..",
            "dev.vigil.consensus.testing..",
            "dev.vigil.signing.testing..")
        .check(MAIN);
  }
}
