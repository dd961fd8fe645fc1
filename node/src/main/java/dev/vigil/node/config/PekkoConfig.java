package dev.vigil.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns vigil.node.cluster into the Pekko keys an ActorSystem reads. */
final class PekkoConfig {
  private PekkoConfig() {}

  static Config forNode(NodeSettings s) {
    ClusterSettings c = s.cluster();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pekko.actor.provider", "cluster");
    m.put("pekko.remote.artery.canonical.hostname", c.host());
    m.put("pekko.remote.artery.canonical.port", c.port());
    // without a separate bind address Pekko listens on the canonical one
    c.bindHost().ifPresent(b -> m.put("pekko.remote.artery.bind.hostname", b));
    m.put("pekko.cluster.seed-nodes", c.seedNodes().stream().map(c::seedAddress).toList());
    // vigil.node.cluster wins over any pekko.* of the same key in the node file: one source of truth
    return ConfigFactory.parseMap(m, "vigil.node.cluster of " + s.file().getFileName()).withFallback(s.config());
  }
}
