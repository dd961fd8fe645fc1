package dev.vigil.node.relayer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The relayer is a client of guardian nodes: it reaches them over HTTP only, so it can run on
 * its own machine, and it needs neither the node's actors nor its store.
 */
class RelayerArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.vigil.node.relayer");

  @Test
  void talksToNodesOverHttpOnly() {
    noClasses().that().resideInAPackage("dev.vigil.node.relayer..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.vigil.node.http..", "dev.vigil.node.observer..",
            "dev.vigil.node.devnet..", "dev.vigil.node.cli..", "dev.vigil.node.config..", "dev.vigil.storage..",
            "dev.vigil.consensus.actor..", "org.apache.pekko..", "org.rocksdb..")
        .check(MAIN);
  }
}
