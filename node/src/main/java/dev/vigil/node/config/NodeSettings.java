package dev.vigil.node.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A guardian's configuration, read from a node file (HOCON, see {@code cluster-configs/}) over the
 * defaults in {@code reference.conf} under {@code vigil.node}, and checked whole: {@link #load}
 * either returns settings that are complete and consistent or throws one {@link
 * NodeConfigException} that names every bad key.
 *
 * @param file the node file, absolute
 * @param name this guardian's name
 * @param dataDir where its database lives (absolute)
 * @param key its encrypted key file and password source
 * @param committee the committee it starts with
 * @param governance the emitter whose attestations rotate the committee
 * @param chains the source chains it watches, by ascending id
 * @param cluster peer transport
 * @param http the HTTP API's address
 * @param warnings things that work but deserve an operator's attention (e.g. an inline password)
 * @param config the whole resolved configuration, for other modules' sections ({@code
 *     vigil.consensus}, {@code pekko}); without the inline password, if any
 */
public record NodeSettings(
    Path file,
    String name,
    Path dataDir,
    KeySettings key,
    CommitteeSettings committee,
    GovernanceSettings governance,
    List<ChainSettings> chains,
    ClusterSettings cluster,
    HttpSettings http,
    List<String> warnings,
    Config config) {

  public NodeSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(committee, "committee");
    Objects.requireNonNull(governance, "governance");
    chains = List.copyOf(chains);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(http, "http");
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(config, "config");
  }

  /** Loads and checks everything, files and environment included ({@link LoadOptions#strict()}). */
  public static NodeSettings load(Path file) {
    return load(file, LoadOptions.strict());
  }

  /**
   * @throws NodeConfigException naming every problem found
   */
  public static NodeSettings load(Path file, LoadOptions options) {
    return NodeSettingsLoader.load(file, options);
  }

  /**
   * The configuration for this guardian's ActorSystem (named {@link ClusterSettings#systemName()}):
   * {@code pekko.remote.artery.canonical.*} and {@code pekko.cluster.seed-nodes} from {@code
   * vigil.node.cluster}, over everything else the node file and the reference configs set.
   */
  public Config actorSystemConfig() {
    return PekkoConfig.forNode(this);
  }

  public Optional<ChainSettings> chain(int id) {
    return chains.stream().filter(c -> c.id() == id).findFirst();
  }

  /** Without the raw config (long, and other modules' business). */
  @Override
  public String toString() {
    return "NodeSettings[file="
        + file
        + ", name="
        + name
        + ", dataDir="
        + dataDir
        + ", key="
        + key
        + ", committee="
        + committee
        + ", governance="
        + governance
        + ", chains="
        + chains
        + ", cluster="
        + cluster
        + ", http="
        + http
        + ", warnings="
        + warnings
        + "]";
  }
}
