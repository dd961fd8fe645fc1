package dev.vigil.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns vigil.node.cluster into the Pekko keys an ActorSystem reads. */
final class PekkoConfig {
  /**
   * How long the first seed asks the other seeds before it forms a new cluster by itself (Pekko's
   * default is 5 s). Guardians never down or merge, so a restarted first seed that forms a cluster
   * while the committee's still runs stays apart until it restarts again; a slow handshake right
   * after a restart (seen at 6 s on a loaded machine) must not be enough for that. Only the first
   * seed waits longer: for the others this is the retry interval of their join.
   */
  static final String FIRST_SEED_TIMEOUT = "20s";

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
    if (c.isFirstSeed()) m.put("pekko.cluster.seed-node-timeout", FIRST_SEED_TIMEOUT);
    // with TLS files the transport is mutual TLS; the SSL engines come from the node (GuardianTls),
    // not from config
    m.put("pekko.remote.artery.transport", c.tls().isPresent() ? "tls-tcp" : "tcp");
    // vigil.node.cluster wins over any pekko.* of the same key in the node file: one source of
    // truth
    return ConfigFactory.parseMap(m, "vigil.node.cluster of " + s.file().getFileName())
        .withFallback(s.config());
  }
}
