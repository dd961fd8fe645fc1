package dev.vigil.frost;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The frost module's boundaries: cryptography only, each point library behind one class. */
class FrostBoundariesTest {
  static {
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.frost");

  @Test
  void noPekkoRocksDbJsonOrOtherVigilModules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.pekko..",
            "org.rocksdb..",
            "com.fasterxml.jackson..",
            "org.web3j..",
            "dev.vigil.storage..",
            "dev.vigil.consensus..",
            "dev.vigil.node..")
        .check(MAIN);
  }

  @Test
  void onlyTheNativeGroupOpsTouchLibsecp256k1() {
    noClasses()
        .that()
        .haveNameNotMatching(
            java.util.regex.Pattern.quote(NativeGroupOps.class.getName()) + "(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("fr.acinq..")
        .check(MAIN);
  }

  @Test
  void onlyTheBouncyCastleGroupOpsTouchBouncyCastle() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(BouncyCastleGroupOps.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.bouncycastle..")
        .check(MAIN);
  }
}
