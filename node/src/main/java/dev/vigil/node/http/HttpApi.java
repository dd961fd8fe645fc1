package dev.vigil.node.http;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.storage.AttestationStore;
import dev.vigil.storage.EvidenceStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (pekko-http): attestations by message id and by digest, a server-sent-event
 * stream of new attestations, the committee, the node's status, Prometheus metrics, liveness and
 * readiness. Errors are JSON {@code {"error": ..., "detail": ...}} with a 4xx/5xx status.
 *
 * <pre>{@code
 * HttpApiSettings settings = HttpApiSettings.defaults().withHost(node.http().host()).withPort(node.http().port());
 * HttpApi api = HttpApi.start(system, settings, new HttpApi.Dependencies(
 *     db.attestations(), db.evidence(), () -> committee, statusSource, hub, metrics, readiness)).toCompletableFuture().join();
 * ...
 * api.close();
 * }</pre>
 *
 * Store reads and readiness checks run on Pekko's blocking-io dispatcher, never on the server's
 * threads.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /**
   * What the API serves from.
   *
   * @param attestations the node's attestation store (read only)
   * @param committee the current committee (a supplier: it changes on rotation)
   * @param status the node's status, for {@code /v1/status}
   * @param feed new attestations, for the stream (usually an {@link AttestationHub})
   * @param metrics the node's metrics, for {@code /metrics}; the stream also counts its subscribers
   *     there
   * @param readiness the checks behind {@code /readyz}
   */
  public record Dependencies(
      AttestationStore attestations,
      EvidenceStore evidence,
      Supplier<Committee> committee,
      StatusSource status,
      AttestationFeed feed,
      NodeMetrics metrics,
      Readiness readiness) {
    public Dependencies {
      Objects.requireNonNull(attestations, "attestations");
      Objects.requireNonNull(evidence, "evidence");
      Objects.requireNonNull(committee, "committee");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(readiness, "readiness");
    }
  }

  private final ServerBinding binding;
  private final AttestationStream stream;
  private final HttpApiSettings settings;
  private final String scheme;
  private final AtomicReference<CompletionStage<Done>> stopped = new AtomicReference<>();

  private HttpApi(
      ServerBinding binding, AttestationStream stream, HttpApiSettings settings, String scheme) {
    this.binding = binding;
    this.stream = stream;
    this.settings = settings;
    this.scheme = scheme;
  }

  /**
   * Binds the API on {@code settings.host():settings.port()}. The stage fails with an
   * IllegalStateException naming the address if it cannot be bound (e.g. the port is taken).
   */
  public static CompletionStage<HttpApi> start(
      ActorSystem<?> system, HttpApiSettings settings, Dependencies deps) {
    return start(system, settings, deps, Optional.empty());
  }

  /**
   * Like {@link #start(ActorSystem, HttpApiSettings, Dependencies)}, over HTTPS with {@code https}.
   */
  public static CompletionStage<HttpApi> start(
      ActorSystem<?> system,
      HttpApiSettings settings,
      Dependencies deps,
      Optional<SSLContext> https) {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(deps, "deps");
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    AttestationStream stream =
        new AttestationStream(
            deps.feed(),
            deps.attestations(),
            deps.metrics(),
            blocking,
            settings.streamBuffer(),
            settings.streamKeepAlive());
    Routes routes = new Routes(deps, settings, stream, blocking);
    ServerBuilder server = Http.get(system).newServerAt(settings.host(), settings.port());
    if (https.isPresent()) server = server.enableHttps(ConnectionContext.httpsServer(https.get()));
    String scheme = https.isPresent() ? "https" : "http";
    return server
        .adaptSettings(
            s ->
                s.withRemoteAddressAttribute(true)
                    .withParsingErrorHandler(JsonParsingErrorHandler.class.getName()))
        .bind(routes.route())
        .handle(
            (binding, err) -> {
              if (err != null) {
                stream.close();
                Throwable cause =
                    err instanceof CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err;
                throw new IllegalStateException(
                    "the HTTP API cannot listen on "
                        + settings.host()
                        + ":"
                        + settings.port()
                        + ": "
                        + cause.getMessage(),
                    cause);
              }
              log.info(
                  "HTTP API listening on {}://{}:{}",
                  scheme,
                  binding.localAddress().getHostString(),
                  binding.localAddress().getPort());
              return new HttpApi(binding, stream, settings, scheme);
            });
  }

  /** The bound address (with the actual port when settings asked for port 0). */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** e.g. {@code http://127.0.0.1:8080} (https when serving HTTPS) */
  public URI uri() {
    return URI.create(
        scheme
            + "://"
            + binding.localAddress().getHostString()
            + ":"
            + binding.localAddress().getPort());
  }

  /** Open attestation streams right now. */
  public int streamSubscribers() {
    return stream.subscriberCount();
  }

  /**
   * Stops accepting connections, ends open attestation streams, and gives requests in flight until
   * the shutdown deadline to finish. Calling it again returns the first call's stage.
   */
  public CompletionStage<Done> stop() {
    CompletableFuture<Done> mine = new CompletableFuture<>();
    if (!stopped.compareAndSet(null, mine)) return stopped.get();
    stream.close();
    binding
        .terminate(settings.shutdownDeadline())
        .whenComplete(
            (terminated, err) -> {
              log.info("HTTP API on {} stopped", binding.localAddress());
              if (err != null) mine.completeExceptionally(err);
              else mine.complete(Done.getInstance());
            });
    return mine;
  }

  /** {@link #stop()} and wait for it. */
  @Override
  public void close() {
    Duration wait = settings.shutdownDeadline().plusSeconds(5);
    try {
      stop().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while stopping the HTTP API on " + binding.localAddress(), e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "the HTTP API on " + binding.localAddress() + " did not stop within " + wait, e);
    }
  }
}
