package dev.vigil.node.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP API listens (port 0 picks a free port), how many attestation streams it serves at
 * once, in all and to one client, and the key and certificate it serves HTTPS with (plain HTTP
 * without).
 */
public record HttpSettings(
    String host,
    int port,
    int maxStreams,
    int maxStreamsPerClient,
    Optional<ClusterSettings.Tls> tls) {
  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
  }

  /** Plain HTTP with the defaults for the stream limits (as in reference.conf). */
  public HttpSettings(String host, int port) {
    this(host, port, 100, 8, Optional.empty());
  }
}
