package dev.vigil.consensus.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The attestation format and its rules are pure: they depend on the JDK, signing and frost (the
 * threshold signature of v2, itself pure cryptography on signing) only, so that contracts, tools
 * and the aggregator can use them without Pekko, RocksDB or JSON-RPC.
 */
class AttestationBoundaryTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.consensus.attestation", "dev.vigil.consensus.governance");

  @Test
  void attestationAndGovernanceDependOnlyOnTheJdkSigningAndFrost() {
    classes()
        .that()
        .resideInAnyPackage("dev.vigil.consensus.attestation..", "dev.vigil.consensus.governance..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vigil.signing",
            "dev.vigil.frost",
            "dev.vigil.consensus.attestation..",
            "dev.vigil.consensus.governance..")
        .check(MAIN);
  }
}
