package dev.vigil.node.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What `vigil run` runs on: the node's jar and its run-time classpath (target/classpath.txt, which
 * ./vigil uses). Every class in every jar is listed; no test fixture, benchmark, devnet or attack
 * class may be among them, and none of the libraries Vigil excludes.
 */
class NodeClasspathIT {
  /** Packages and class names of tooling that must never ship with the node. */
  static final Pattern TOOLING =
      Pattern.compile(
          "dev/vigil/(testing|devnet|bench|relayer)/.*|dev/vigil/[a-z]+/(testing|bench)/.*"
              + "|.*/(Rogue[A-Za-z]*|Flood[A-Za-z]*|Garbage|LocalCommittee|Anvil|EvmToolchain|LocalChain|FaultyRpcProxy|LinkProxy"
              + "|DataDisks|NodeProcess|InMemoryObservationSource|GuardianNode)(\\$.*)?\\.class");

  /**
   * Libraries reached through web3j and Pekko that Vigil does not use (excluded in the parent pom).
   */
  static final Pattern UNUSED_LIBRARY =
      Pattern.compile(
          ".*/(software/amazon|io/vertx|io/netty|org/connid|com/github/jnr|org/lmdbjava|org/java-websocket)/.*");

  static List<Path> nodeClasspath() throws IOException {
    Path target = Path.of("target");
    Path cp = target.resolve("classpath.txt");
    assertThat(cp).as("built by the package phase (maven-dependency-plugin)").exists();
    List<Path> jars = new ArrayList<>();
    jars.add(target.resolve("vigil-node.jar"));
    Arrays.stream(Files.readString(cp).strip().split(":"))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .forEach(jars::add);
    return jars;
  }

  @Test
  void theNodesClasspathCarriesNoFixtureBenchmarkOrAttackClass() throws IOException {
    List<String> tooling = new ArrayList<>();
    int vigilClasses = 0;
    for (Path jar : nodeClasspath()) {
      if (!Files.isRegularFile(jar))
        continue; // a reactor module's classes dir is checked through its jar
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (ZipEntry e : zip.stream().toList()) {
          String name = e.getName();
          if (name.startsWith("dev/vigil/") && name.endsWith(".class")) vigilClasses++;
          if (!e.isDirectory() && TOOLING.matcher(name).matches())
            tooling.add(jar.getFileName() + "!" + name);
        }
      }
    }
    assertThat(vigilClasses).as("the node's own classes were found").isGreaterThan(100);
    assertThat(tooling).as("tooling on the node's classpath").isEmpty();
  }

  @Test
  void theNodesClasspathCarriesNoExcludedLibrary() throws IOException {
    List<String> jars = nodeClasspath().stream().map(Path::toString).toList();
    assertThat(jars).as("the node's run-time jars").anyMatch(j -> j.contains("/org/web3j/"));
    assertThat(jars).filteredOn(j -> UNUSED_LIBRARY.matcher(j).matches()).isEmpty();
  }

  @Test
  void theToolingPatternRecognisesWhatItMustKeepOut() {
    // the check above is only as good as its pattern: these are real tooling classes of this
    // repository
    for (String c :
        List.of(
            "dev/vigil/consensus/testing/RogueNode.class",
            "dev/vigil/testing/evm/Anvil.class",
            "dev/vigil/devnet/chaos/Chaos.class",
            "dev/vigil/bench/FloodBenchmark.class",
            "dev/vigil/consensus/testing/LocalCommittee$Member.class",
            "dev/vigil/relayer/Relayer.class")) {
      assertThat(TOOLING.matcher(c).matches()).as(c).isTrue();
    }
    assertThat(TOOLING.matcher("dev/vigil/node/cli/RunCommand.class").matches()).isFalse();
    assertThat(
            UNUSED_LIBRARY
                .matcher("/root/.m2/repository/software/amazon/awssdk/kms/2.27.24/kms-2.27.24.jar")
                .matches())
        .isTrue();
  }
}
