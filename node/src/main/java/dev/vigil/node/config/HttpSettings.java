package dev.vigil.node.config;

import java.util.Objects;

/** Where the HTTP API listens. Port 0 picks a free port. */
public record HttpSettings(String host, int port) {
  public HttpSettings {
    Objects.requireNonNull(host, "host");
  }
}
