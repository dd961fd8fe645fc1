package dev.vigil.node.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the HTTP API listens. Validation messages use the configuration keys' names.
 *
 * @param host interface to bind; 127.0.0.1 unless the API is meant to be reached from elsewhere
 * @param port TCP port; 0 picks a free one (tests)
 * @param streamBuffer attestations buffered per stream subscriber; one that falls this far behind is dropped
 * @param maxStreams open attestation streams at most; more are refused with 503 (bounds the buffers' memory)
 * @param streamKeepAlive interval of SSE comment heartbeats on an idle stream (keeps proxies and idle timeouts quiet)
 * @param readinessDeadline how long one readiness check may take before it counts as failing
 * @param shutdownDeadline how long open requests and streams get to finish when the API stops
 */
public record HttpSettings(String host, int port, int streamBuffer, int maxStreams, Duration streamKeepAlive,
    Duration readinessDeadline, Duration shutdownDeadline) {
  /** Where {@link #fromConfig} reads its keys. */
  public static final String PATH = "vigil.node.http";

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
    if (streamBuffer < 1 || streamBuffer > 1_000_000) {
      throw new IllegalArgumentException("stream-buffer must be 1..1000000 attestations, got " + streamBuffer);
    }
    if (maxStreams < 1 || maxStreams > 100_000) {
      throw new IllegalArgumentException("max-streams must be 1..100000, got " + maxStreams);
    }
    positive("stream-keep-alive", streamKeepAlive);
    positive("readiness-deadline", readinessDeadline);
    positive("shutdown-deadline", shutdownDeadline);
  }

  /** 127.0.0.1:8080, 256 buffered attestations per subscriber, at most 100 streams, 15 s keep-alive. */
  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 8080, 256, 100, Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  public HttpSettings withHost(String host) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  public HttpSettings withPort(int port) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  public HttpSettings withStreamBuffer(int streamBuffer) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  public HttpSettings withMaxStreams(int maxStreams) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  public HttpSettings withStreamKeepAlive(Duration streamKeepAlive) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  public HttpSettings withReadinessDeadline(Duration readinessDeadline) {
    return new HttpSettings(host, port, streamBuffer, maxStreams, streamKeepAlive, readinessDeadline, shutdownDeadline);
  }

  /**
   * Reads {@code vigil.node.http.{host, port, stream-buffer, max-streams, stream-keep-alive, readiness-deadline,
   * shutdown-deadline}}; a missing key keeps its {@link #defaults() default}. A bad value fails with
   * the key's full path and what was expected.
   */
  public static HttpSettings fromConfig(Config config) {
    HttpSettings d = defaults();
    Config c = config.hasPath(PATH) ? config.getConfig(PATH) : ConfigFactory.empty();
    try {
      return new HttpSettings(
          c.hasPath("host") ? c.getString("host") : d.host(),
          c.hasPath("port") ? c.getInt("port") : d.port(),
          c.hasPath("stream-buffer") ? c.getInt("stream-buffer") : d.streamBuffer(),
          c.hasPath("max-streams") ? c.getInt("max-streams") : d.maxStreams(),
          c.hasPath("stream-keep-alive") ? c.getDuration("stream-keep-alive") : d.streamKeepAlive(),
          c.hasPath("readiness-deadline") ? c.getDuration("readiness-deadline") : d.readinessDeadline(),
          c.hasPath("shutdown-deadline") ? c.getDuration("shutdown-deadline") : d.shutdownDeadline());
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalArgumentException("bad HTTP settings under " + PATH + ": " + e.getMessage(), e);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
  }
}
