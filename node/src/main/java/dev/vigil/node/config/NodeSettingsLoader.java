package dev.vigil.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.vigil.node.config.NodeConfigException.Problem;
import dev.vigil.signing.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and checks a node file; see {@link NodeSettings#load(Path, LoadOptions)}. Each section has
 * its reader ({@link KeyReader}, {@link CommitteeReader}, {@link ChainsReader}, {@link
 * ClusterReader}); all of them record their problems in one {@link ConfigReader}, so that one load
 * reports them all, in the order the keys are read here.
 */
final class NodeSettingsLoader {
  static final String ROOT = "vigil.node";

  /** Other modules' sections under vigil; anything else there is a typo. */
  private static final Set<String> MODULES = Set.of("node", "consensus", "storage", "signing");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Path file;
  private final LoadOptions options;
  private final ConfigReader reader;
  private final NodeValues values;
  private final List<String> warnings = new ArrayList<>();

  private NodeSettingsLoader(Path file, Config resolved, LoadOptions options) {
    this.file = file;
    this.options = options;
    this.reader = new ConfigReader(resolved, Set.of(KeyReader.INLINE_PASSWORD));
    this.values = new NodeValues(reader, file.getParent());
  }

  static NodeSettings load(Path path, LoadOptions options) {
    Path file = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new NodeConfigException(file, List.of(new Problem("", "no configuration file there")));
    }
    Config fileConfig;
    Config reference;
    Config resolved;
    try {
      fileConfig =
          ConfigFactory.parseFile(
              file.toFile(),
              ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
      reference =
          ConfigFactory.defaultReferenceUnresolved(NodeSettingsLoader.class.getClassLoader());
      // the environment is the last fallback, like Typesafe's own resolve(), but injectable for
      // tests
      Config env = ConfigValueFactory.fromMap(options.env(), "environment").toConfig();
      resolved =
          fileConfig
              .withFallback(reference)
              .withFallback(env)
              .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    } catch (ConfigException e) {
      // syntax errors, a missing include required(...), an undefined ${VAR}: Typesafe names file
      // and line
      throw new NodeConfigException(file, List.of(new Problem("", e.getMessage())));
    }
    NodeSettingsLoader loader = new NodeSettingsLoader(file, resolved, options);
    NodeSettings settings = loader.read(keepOnly(resolved, fileConfig, reference));
    if (!loader.reader.problems().isEmpty())
      throw new NodeConfigException(file, loader.reader.problems());
    return settings;
  }

  /** The resolved config without the environment's variables and without the inline password. */
  private static Config keepOnly(Config resolved, Config fileConfig, Config reference) {
    Set<String> roots = new HashSet<>(fileConfig.root().keySet());
    roots.addAll(reference.root().keySet());
    Config kept = ConfigFactory.empty();
    for (String root : roots) {
      String p = ConfigUtil.joinPath(root);
      if (resolved.hasPathOrNull(p)) kept = kept.withFallback(resolved.withOnlyPath(p));
    }
    return kept.withoutPath(KeyReader.INLINE_PASSWORD);
  }

  private NodeSettings read(Config forOthers) {
    String name = name();
    Path dataDir = values.path(ROOT + ".data-dir");
    KeyReader keys = new KeyReader(values, warnings::add);
    KeySettings key = keys.key();
    CommitteeReader committees = new CommitteeReader(values);
    CommitteeSettings committee = committees.committee();
    GovernanceSettings governance = committees.governance();
    List<ChainSettings> chains = new ChainsReader(values).chains();
    ClusterReader clusterReader = new ClusterReader(values);
    ClusterSettings cluster = clusterReader.cluster(committee);
    HttpSettings http = clusterReader.http(cluster);
    unknownKeys();
    if (options.checkFiles()) {
      Address guardian = keys.checkKeyFile(key, committee);
      keys.checkPassword(key, options.env(), guardian);
      clusterReader.checkTls(cluster, guardian);
      clusterReader.checkHttpsTls(http);
      checkDataDir(dataDir);
    }
    if (committee != null && committee.members().size() < 4) {
      warnings.add(
          "a committee of "
              + committee.members().size()
              + " tolerates no faulty or offline guardian (quorum "
              + committee.quorum()
              + " of "
              + committee.members().size()
              + "); real committees have at least 4");
    }
    if (!reader.problems().isEmpty()) return null;
    return new NodeSettings(
        file,
        name,
        dataDir,
        key,
        committee,
        governance,
        chains,
        cluster,
        http,
        warnings,
        forOthers);
  }

  private String name() {
    String path = ROOT + ".name";
    String name = reader.string(path);
    if (name != null && !NAME.matcher(name).matches()) {
      reader.problem(
          path,
          "expected 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got \""
              + name
              + "\"",
          reader.value(path));
      return null;
    }
    return name;
  }

  private void unknownKeys() {
    ConfigObject node = reader.object(ROOT, false);
    if (node != null) {
      for (String k : node.keySet()) {
        // Pekko dispatcher blocks (e.g. observer-dispatcher): Pekko reads and checks them
        if (k.endsWith("-dispatcher")) {
          String p = ConfigReader.join(ROOT, k);
          reader.consume(p);
          reader.object(p, true);
        }
      }
    }
    reader.reportUnknownKeys(ROOT);
    ConfigObject vigil = reader.object("vigil", false);
    if (vigil == null) return;
    for (String k : new TreeSet<>(vigil.keySet())) {
      if (!MODULES.contains(k)) {
        reader.problem(
            ConfigReader.join("vigil", k),
            "unknown section (Vigil's modules read vigil.node, vigil.consensus, "
                + "vigil.storage and vigil.signing)",
            vigil.get(k));
      }
    }
  }

  private void checkDataDir(Path dataDir) {
    if (dataDir != null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      String path = ROOT + ".data-dir";
      reader.problem(path, dataDir + " exists and is not a directory", reader.value(path));
    }
  }
}
