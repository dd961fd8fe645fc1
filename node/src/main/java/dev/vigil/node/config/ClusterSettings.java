package dev.vigil.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Peer transport: the actor system name shared by the committee, the address peers reach this
 * guardian at, an optional different interface to listen on, the seed nodes to join through, and
 * the TLS key and certificate that make the transport mutual TLS among committee members.
 */
public record ClusterSettings(
    String systemName,
    String host,
    int port,
    Optional<String> bindHost,
    List<Seed> seedNodes,
    Optional<Tls> tls) {
  /**
   * Mutual TLS between guardians: this guardian's TLS key and its certificate bound to the guardian
   * key.
   */
  public record Tls(Path keyFile, Path certFile) {
    public Tls {
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(certFile, "certFile");
    }
  }

  /** A seed node, {@code host:port}. */
  public record Seed(String host, int port) {
    public Seed {
      Objects.requireNonNull(host, "host");
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public ClusterSettings {
    Objects.requireNonNull(systemName, "systemName");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(tls, "tls");
    seedNodes = List.copyOf(seedNodes);
  }

  /**
   * Whether this guardian is the first seed: the one that forms a new cluster when no other seed
   * answers.
   */
  public boolean isFirstSeed() {
    return !seedNodes.isEmpty()
        && seedNodes.getFirst().host().equalsIgnoreCase(host)
        && seedNodes.getFirst().port() == port;
  }

  /** The seeds other than this guardian itself. */
  public List<Seed> otherSeeds() {
    return seedNodes.stream()
        .filter(s -> !(s.host().equalsIgnoreCase(host) && s.port() == port))
        .toList();
  }

  /** The Pekko address of a seed, e.g. {@code pekko://vigil@10.0.0.1:7100}. */
  public String seedAddress(Seed seed) {
    return "pekko://" + systemName + "@" + seed;
  }
}
