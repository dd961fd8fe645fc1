package dev.vigil.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Address;
import dev.vigil.signing.keystore.DevKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file under cluster-configs/ is either a node file that loads into NodeSettings, a fragment
 * that a node file includes, or documentation/tooling. Template and devnet files name key files
 * that do not exist in the repository, so they are loaded without file checks here; the dev
 * committees are also loaded with every check against dev keys written to a temp copy.
 */
class ClusterConfigsTest {
  private static final Pattern INCLUDE =
      Pattern.compile("include\\s+(?:required\\()?\\s*\"([^\"]+)\"");
  private static final Set<String> OTHER_FILES =
      Set.of("README.md", "dev-password.txt", "dev-keys.sh");

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("cluster-configs"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.resolve("cluster-configs");
      }
    }
    throw new IllegalStateException("no cluster-configs/ above " + Path.of("").toAbsolutePath());
  }

  static List<Path> allFiles() {
    try (Stream<Path> s = Files.walk(root())) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files some other file includes. */
  static Set<Path> included() {
    Set<Path> out = new HashSet<>();
    for (Path f : allFiles()) {
      if (!f.toString().endsWith(".conf")) continue;
      try {
        Matcher m = INCLUDE.matcher(Files.readString(f));
        while (m.find()) out.add(f.getParent().resolve(m.group(1)).normalize());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  static List<Path> nodeFiles() {
    Set<Path> inc = included();
    return allFiles().stream()
        .filter(f -> f.toString().endsWith(".conf") && !inc.contains(f))
        .toList();
  }

  @Test
  void everyFileIsANodeFileAFragmentOrKnownTooling() {
    Set<Path> inc = included();
    for (Path f : allFiles()) {
      boolean known =
          f.toString().endsWith(".conf") || OTHER_FILES.contains(f.getFileName().toString());
      assertThat(known).as("unexpected file %s (node files and fragments are .conf)", f).isTrue();
    }
    for (Path f : inc) assertThat(f).as("an include that names a missing file").isRegularFile();
    assertThat(nodeFiles()).hasSizeGreaterThanOrEqualTo(4 + 4 + 7 + 4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeFiles")
  void everyNodeFileLoads(Path file) {
    NodeSettings s = NodeSettings.load(file, new LoadOptions(false, Map.of()));
    assertThat(s.name()).isNotBlank();
    assertThat(s.chains()).isNotEmpty();
    assertThat(s.committee().members()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(s.cluster().seedNodes()).isNotEmpty();
    assertThat(s.warnings()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"devnet:4", "local-4:4", "local-7:7"})
  void devCommitteesAreTheDevKeysOnLocalhostWithDistinctPortsAndSeedsAmongThem(String spec) {
    String folder = spec.split(":")[0];
    int n = Integer.parseInt(spec.split(":")[1]);
    List<NodeSettings> nodes = guardians(root(), folder, n, new LoadOptions(false, Map.of()));
    List<Address> devKeys = IntStream.range(0, n).mapToObj(DevKeys::address).toList();
    Set<Integer> ports = new HashSet<>();
    Set<String> clusterAddresses = new HashSet<>();
    for (NodeSettings s : nodes) {
      assertThat(s.committee().members()).as(s.name()).isEqualTo(devKeys);
      assertThat(s.cluster().host()).isEqualTo("127.0.0.1");
      assertThat(s.http().host()).isEqualTo("127.0.0.1");
      assertThat(ports.add(s.cluster().port()))
          .as("cluster port %d used twice", s.cluster().port())
          .isTrue();
      assertThat(ports.add(s.http().port()))
          .as("http port %d used twice", s.http().port())
          .isTrue();
      clusterAddresses.add("127.0.0.1:" + s.cluster().port());
      assertThat(s.chains()).extracting(ChainSettings::id).containsExactly(1, 2);
    }
    for (NodeSettings s : nodes) {
      assertThat(s.cluster().seedNodes())
          .extracting(ClusterSettings.Seed::toString)
          .isSubsetOf(clusterAddresses);
      assertThat(s.dataDir())
          .as("data dirs are distinct")
          .isEqualTo(nodes.get(0).dataDir().resolveSibling("guardian-" + nodes.indexOf(s)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"devnet:4", "local-7:7"})
  void devCommitteesPassEveryCheckOnceTheDevKeyFilesAreWritten(String spec, @TempDir Path tmp)
      throws IOException {
    String folder = spec.split(":")[0];
    int n = Integer.parseInt(spec.split(":")[1]);
    // a copy of the repository layout the files expect: cluster-configs/ next to .devnet/keys/
    Path copy = tmp.resolve("cluster-configs");
    for (Path f : allFiles()) {
      Path target = copy.resolve(root().relativize(f).toString());
      Files.createDirectories(target.getParent());
      Files.copy(f, target);
    }
    Path keys = Files.createDirectories(tmp.resolve(".devnet/keys"));
    char[] password = Files.readString(copy.resolve("dev-password.txt")).strip().toCharArray();
    for (int i = 0; i < n; i++)
      DevKeys.writeKeyFile(i, keys.resolve("guardian-" + i + ".json"), password);

    List<NodeSettings> nodes = guardians(copy, folder, n, new LoadOptions(true, Map.of()));
    for (int i = 0; i < n; i++) {
      NodeSettings s = nodes.get(i);
      assertThat(s.key().file()).isEqualTo(keys.resolve("guardian-" + i + ".json"));
      assertThat(new String(s.key().password().read(Map.of()))).isEqualTo(new String(password));
      assertThat(dev.vigil.signing.keystore.KeyFile.declaredAddress(s.key().file()))
          .isEqualTo(s.committee().members().get(i));
    }
  }

  @Test
  void theTemplateHasOneFilePerOperatorAndNoInlinePasswords() throws IOException {
    List<NodeSettings> operators = new ArrayList<>();
    for (Path f : nodeFiles()) {
      if (f.getParent().getFileName().toString().equals("template")) {
        operators.add(NodeSettings.load(f, new LoadOptions(false, Map.of())));
      }
    }
    assertThat(operators).hasSize(operators.get(0).committee().members().size());
    for (NodeSettings s : operators) {
      assertThat(s.key().password()).isNotInstanceOf(PasswordSource.Inline.class);
      assertThat(s.chains()).allSatisfy(c -> assertThat(c.rpcUrls()).isNotEmpty());
      assertThat(s.committee()).isEqualTo(operators.get(0).committee());
      assertThat(s.cluster().seedNodes()).isEqualTo(operators.get(0).cluster().seedNodes());
    }
    // a container can move the data dir without editing the file
    Path op = root().resolve("template/operator-1.conf");
    assertThat(
            NodeSettings.load(op, new LoadOptions(false, Map.of("VIGIL_DATA_DIR", "/data/vigil")))
                .dataDir())
        .isEqualTo(Path.of("/data/vigil"));
  }

  private static List<NodeSettings> guardians(
      Path root, String folder, int n, LoadOptions options) {
    List<NodeSettings> out = new ArrayList<>();
    for (int i = 0; i < n; i++)
      out.add(NodeSettings.load(root.resolve(folder + "/guardian-" + i + ".conf"), options));
    assertThat(root.resolve(folder + "/guardian-" + n + ".conf")).doesNotExist();
    return out;
  }
}
