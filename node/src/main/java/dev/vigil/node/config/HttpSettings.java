package dev.vigil.node.config;

import java.util.Objects;

/**
 * Where the HTTP API listens (port 0 picks a free port), and how many attestation streams it serves
 * at once, in all and to one client.
 */
public record HttpSettings(String host, int port, int maxStreams, int maxStreamsPerClient) {
  public HttpSettings {
    Objects.requireNonNull(host, "host");
  }

  /** The defaults for the stream limits (as in reference.conf). */
  public HttpSettings(String host, int port) {
    this(host, port, 100, 8);
  }
}
