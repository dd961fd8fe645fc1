package dev.vigil.consensus.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Boundaries of the protocol part of consensus, enforced by the build. */
class ConsensusBoundaryTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil.consensus");

  @Test
  void theAggregatorIsAPureStateMachine() {
    classes()
        .that()
        .resideInAnyPackage(
            "dev.vigil.consensus.aggregation..", "dev.vigil.consensus.observation..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.vigil.signing",
            "dev.vigil.consensus.attestation..",
            "dev.vigil.consensus.aggregation..",
            "dev.vigil.consensus.observation..")
        .check(MAIN);
  }

  @Test
  void theWireCodecNeedsNoActorsAndNoStorage() {
    classes()
        .that()
        .resideInAPackage("dev.vigil.consensus.wire")
        .and()
        .doNotHaveSimpleName("WireSerializer")
        .should()
        .onlyDependOnClassesThat()
        .resideOutsideOfPackages(
            "org.apache.pekko..", "dev.vigil.storage..", "dev.vigil.consensus.actor..")
        .check(MAIN);
  }

  @Test
  void consensusNeverTouchesRocksDbOrWeb3j() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.rocksdb..", "org.web3j..")
        .check(MAIN);
  }

  @Test
  void consensusNeverTouchesHttpOrTheNode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.pekko.http..", "okhttp3..", "dev.vigil.node..")
        .check(MAIN);
  }

  @Test
  void nothingIsJavaSerializable() {
    // exceptions are Serializable by inheritance only; they never cross the wire
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.consensus.wire")
        .and()
        .areNotAssignableTo(Throwable.class)
        .should()
        .implement(java.io.Serializable.class)
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectOutputStream")
        .check(MAIN);
  }
}
