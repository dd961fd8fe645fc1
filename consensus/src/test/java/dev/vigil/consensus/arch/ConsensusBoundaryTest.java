package dev.vigil.consensus.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: consensus may not touch web3j's JSON-RPC, HTTP, RocksDB or the node. */
class ConsensusBoundaryTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.vigil.consensus");

  @Test
  void consensusUsesNoJsonRpcHttpOrRocksDb() {
    noClasses().that().resideInAPackage("dev.vigil.consensus..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.web3j..", "org.apache.pekko.http..", "org.rocksdb..", "okhttp3..", "dev.vigil.node..")
        .check(MAIN);
  }
}
