package dev.vigil.node.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Boundaries of the HTTP API and metrics packages, on production classes. */
class HttpArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // The rules look at package names only; resolving Pekko's and Scala's classes would take ~20 s.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      classes =
          new ClassFileImporter()
              .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
              .importPackages("dev.vigil.node");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void theApiReadsStorageThroughItsStoresOnly() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.vigil.node.http..", "dev.vigil.node.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.rocksdb..", "dev.vigil.storage.kv..")
        .check(classes);
  }

  @Test
  void theApiKnowsNothingOfTheNodesOtherParts() {
    // the node wires the API through its interfaces (StatusSource, AttestationFeed, Readiness),
    // never the reverse
    noClasses()
        .that()
        .resideInAnyPackage("dev.vigil.node.http..", "dev.vigil.node.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.vigil.node.observer..", "dev.vigil.node.cli..", "dev.vigil.node.config..")
        .check(classes);
  }

  @Test
  void prometheusStaysBehindNodeMetrics() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.vigil.node.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.prometheus..")
        .check(classes);
  }

  @Test
  void metricsNeedNoPekko() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.node.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.pekko..")
        .check(classes);
  }
}
