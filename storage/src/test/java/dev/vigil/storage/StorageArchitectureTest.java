package dev.vigil.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of ARCHITECTURE.md, enforced on storage's production classes. */
class StorageArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.storage");
  }

  @Test
  void storageDependsNeitherOnPekkoNorOnConsensus() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.pekko..", "dev.vigil.consensus..", "dev.vigil.node..")
        .check(classes);
  }

  @Test
  void onlyTheKvLayerTouchesRocksDb() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.storage..")
        .and()
        .resideOutsideOfPackage("dev.vigil.storage.kv")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .check(classes);
  }
}
