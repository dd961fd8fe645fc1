package dev.vigil.signing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The signing module's boundaries (ARCHITECTURE.md): no Pekko, no RocksDB, JNI and JNA each behind
 * one class.
 */
class SigningBoundariesTest {
  static {
    // package names of dependencies are enough here; resolving all of Bouncy Castle takes seconds
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.signing");

  @Test
  void noPekkoOrRocksDb() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.pekko..", "org.rocksdb..")
        .check(MAIN);
  }

  @Test
  void onlyTheNativeBackendTouchesLibsecp256k1() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(NativeSecp256k1.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("fr.acinq..")
        .check(MAIN);
  }

  @Test
  void onlyTheRecoverableSignerTouchesJna() {
    // the class and its nested ones (the direct-mapped functions, the per-thread scratch)
    noClasses()
        .that()
        .haveNameNotMatching(
            java.util.regex.Pattern.quote(JnaRecoverableSigner.class.getName()) + "(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.sun.jna..")
        .check(MAIN);
  }

  @Test
  void onlyKeyFilesParseJson() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.vigil.signing.keystore..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson..")
        .check(MAIN);
  }
}
