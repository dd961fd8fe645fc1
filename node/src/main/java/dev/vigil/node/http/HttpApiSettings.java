package dev.vigil.node.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the HTTP API listens. The node's configuration ({@code vigil.node.http.host, port},
 * read by {@code dev.vigil.node.config}) gives the address; the other values keep their defaults
 * unless the node sets them. Validation messages use configuration-style names (stream-buffer…).
 *
 * @param host interface to bind; 127.0.0.1 unless the API is meant to be reached from elsewhere
 * @param port TCP port; 0 picks a free one (tests)
 * @param streamBuffer attestations buffered per stream subscriber; one that falls this far behind
 *     is dropped
 * @param maxStreams open attestation streams at most; more are refused with 503 (bounds the
 *     buffers' memory)
 * @param maxStreamsPerClient open attestation streams of one client (its connection's IP address,
 *     not a header it sends) at most; more are refused with 429, so that one client cannot take
 *     every stream
 * @param streamKeepAlive interval of SSE comment heartbeats on an idle stream (keeps proxies and
 *     idle timeouts quiet)
 * @param readinessDeadline how long one readiness check may take before it counts as failing
 * @param shutdownDeadline how long open requests and streams get to finish when the API stops
 */
public record HttpApiSettings(
    String host,
    int port,
    int streamBuffer,
    int maxStreams,
    int maxStreamsPerClient,
    Duration streamKeepAlive,
    Duration readinessDeadline,
    Duration shutdownDeadline) {
  public HttpApiSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    if (streamBuffer < 1 || streamBuffer > 1_000_000) {
      throw new IllegalArgumentException(
          "stream-buffer must be 1..1000000 attestations, got " + streamBuffer);
    }
    if (maxStreams < 1 || maxStreams > 100_000) {
      throw new IllegalArgumentException("max-streams must be 1..100000, got " + maxStreams);
    }
    if (maxStreamsPerClient < 1 || maxStreamsPerClient > maxStreams) {
      throw new IllegalArgumentException(
          "max-streams-per-client must be 1..max-streams ("
              + maxStreams
              + "), got "
              + maxStreamsPerClient);
    }
    positive("stream-keep-alive", streamKeepAlive);
    positive("readiness-deadline", readinessDeadline);
    positive("shutdown-deadline", shutdownDeadline);
  }

  /**
   * 127.0.0.1:7200 (the node's reference.conf default), 256 buffered attestations per subscriber,
   * at most 100 streams, 8 of them per client, 15 s keep-alive.
   */
  public static HttpApiSettings defaults() {
    return new HttpApiSettings(
        "127.0.0.1",
        7200,
        256,
        100,
        8,
        Duration.ofSeconds(15),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  public HttpApiSettings withHost(String host) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withPort(int port) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withStreamBuffer(int streamBuffer) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withMaxStreams(int maxStreams) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withMaxStreamsPerClient(int maxStreamsPerClient) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        maxStreamsPerClient,
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withStreamKeepAlive(Duration streamKeepAlive) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  public HttpApiSettings withReadinessDeadline(Duration readinessDeadline) {
    return new HttpApiSettings(
        host,
        port,
        streamBuffer,
        maxStreams,
        Math.min(maxStreamsPerClient, maxStreams),
        streamKeepAlive,
        readinessDeadline,
        shutdownDeadline);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero())
      throw new IllegalArgumentException(name + " must be positive, got " + d);
  }
}
