package dev.vigil.node.http;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.AttestationStore;
import dev.vigil.storage.StoredAttestation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-sent-event stream of new attestations. One subscription to the {@link AttestationFeed}
 * serves every client: each attestation is turned into JSON once and offered to each client's
 * bounded queue. Offering never blocks; a client whose queue is full is dropped (its stream ends
 * with a "dropped" event) and logged, so a slow reader costs at most its buffer and never delays
 * the others or the publisher.
 *
 * <p>A client that filters on one emitter may ask for a replay from a sequence: stored attestations
 * of that emitter with sequence &ge; from, in sequence order, then the live stream. An attestation
 * that arrives while the replay runs can be sent twice (once replayed, once live); the event id
 * (the message id) makes repeats detectable.
 */
final class AttestationStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttestationStream.class);
  static final int REPLAY_PAGE = 256;

  /** Which attestations a client wants: all, one chain's, or one emitter's. */
  record Filter(OptionalInt chain, Optional<Bytes32> emitter) {
    static final Filter ALL = new Filter(OptionalInt.empty(), Optional.empty());

    boolean matches(MessageId id) {
      return (chain.isEmpty() || chain.getAsInt() == id.emitterChain())
          && (emitter.isEmpty() || emitter.get().equals(id.emitterAddress()));
    }

    @Override
    public String toString() {
      if (chain.isEmpty()) return "all attestations";
      return "chain " + chain.getAsInt() + emitter.map(e -> " emitter " + e.toHex()).orElse("");
    }
  }

  /** One client. Its queue exists once its stream is materialized (by the HTTP server, once). */
  private final class Subscriber {
    final Filter filter;
    final String client;
    final String who;
    final AtomicBoolean dropped = new AtomicBoolean();
    volatile BoundedSourceQueue<ServerSentEvent> queue;

    Subscriber(Filter filter, String client, String who) {
      this.filter = filter;
      this.client = client;
      this.who = who;
    }

    void offer(MessageId id, ServerSentEvent event) {
      if (!filter.matches(id)) return;
      QueueOfferResult r = queue.offer(event);
      if (r == QueueOfferResult.enqueued()) return;
      if (r == QueueOfferResult.dropped() && dropped.compareAndSet(false, true)) {
        log.warn(
            "dropping attestation stream subscriber {}: {} attestations unread, it reads too slowly; "
                + "it may reconnect and resume with Last-Event-ID",
            who,
            queue.size());
        metrics.streamDropped();
        queue.complete();
      }
      remove(this);
    }

    /** Sent after the buffered events of a dropped stream, so the client knows why it ended. */
    List<ServerSentEvent> droppedNotice() {
      if (!dropped.get()) return List.of();
      return List.of(
          ServerSentEvent.create(
              Json.string(
                  Json.error(
                      "dropped",
                      "this stream fell "
                          + bufferSize
                          + " attestations behind and was closed; reconnect (with Last-Event-ID) to resume")),
              Optional.of("dropped"),
              Optional.empty(),
              OptionalInt.empty()));
    }
  }

  private final AttestationStore store;
  private final NodeMetrics metrics;
  private final Executor blocking;
  private final int bufferSize;
  private final Duration keepAlive;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AttestationFeed.Subscription feedSubscription;
  private volatile boolean closed;

  AttestationStream(
      AttestationFeed feed,
      AttestationStore store,
      NodeMetrics metrics,
      Executor blocking,
      int bufferSize,
      Duration keepAlive) {
    this.store = store;
    this.metrics = metrics;
    this.blocking = blocking;
    this.bufferSize = bufferSize;
    this.keepAlive = keepAlive;
    this.feedSubscription = feed.subscribe(this::publish);
  }

  private void publish(Attestation a) {
    if (subscribers.isEmpty()) return;
    MessageId id = a.messageId();
    ServerSentEvent event = event(a, a.encode());
    for (Subscriber s : subscribers) s.offer(id, event);
  }

  static ServerSentEvent event(Attestation a, byte[] raw) {
    // No event type: browsers' EventSource.onmessage sees untyped events only.
    return ServerSentEvent.create(
        Json.string(Json.attestation(a, raw)),
        Optional.empty(),
        Optional.of(a.messageId().toString()),
        OptionalInt.empty());
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Open streams of {@code client} (as given to {@link #open}). */
  int subscriberCount(String client) {
    int n = 0;
    for (Subscriber s : subscribers) if (s.client.equals(client)) n++;
    return n;
  }

  /**
   * A client's stream: the replay (if {@code replayFrom} is given; the filter then names one
   * emitter), then live attestations, with keep-alive comments while idle. The client counts as
   * subscribed from the moment the stream is materialized, before the replay reads the store.
   */
  Source<ServerSentEvent, NotUsed> open(
      Filter filter, Optional<Long> replayFrom, String client, String who) {
    Subscriber sub = new Subscriber(filter, client, who);
    Source<ServerSentEvent, NotUsed> live =
        Source.<ServerSentEvent>queue(bufferSize)
            .mapMaterializedValue(
                queue -> {
                  sub.queue = queue;
                  subscribers.add(sub);
                  metrics.streamOpened();
                  if (closed) queue.complete();
                  return NotUsed.notUsed();
                })
            // lazy: the notice is decided when the queue has completed, not when the stream starts
            .concatLazy(Source.fromIterator(() -> sub.droppedNotice().iterator()));
    Source<ServerSentEvent, NotUsed> head =
        replayFrom.isPresent() && filter.chain().isPresent() && filter.emitter().isPresent()
            ? replay(filter.chain().getAsInt(), filter.emitter().get(), replayFrom.get())
            : Source.empty();
    // concat (not concatLazy): the live queue is subscribed at once, so nothing published during
    // the replay is lost
    return head.concat(live)
        .keepAlive(keepAlive, ServerSentEvent::heartbeat)
        .watchTermination(
            (notUsed, done) -> {
              done.whenComplete((ok, err) -> remove(sub));
              return notUsed;
            });
  }

  private void remove(Subscriber s) {
    if (subscribers.remove(s)) metrics.streamClosed();
  }

  private Source<ServerSentEvent, NotUsed> replay(int chain, Bytes32 emitter, long from) {
    return Source.unfoldAsync(
            Optional.of(from),
            next -> {
              if (next.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
              return CompletableFuture.supplyAsync(
                  () -> {
                    List<StoredAttestation> page =
                        store.listEmitter(chain, emitter, next.get(), REPLAY_PAGE);
                    long last = page.isEmpty() ? -1 : page.get(page.size() - 1).key().sequence();
                    // The page was short, or it ended at the largest u64: nothing after it.
                    Optional<Long> after =
                        page.size() < REPLAY_PAGE || last == -1L
                            ? Optional.empty()
                            : Optional.of(last + 1);
                    return Optional.of(Pair.create(after, page));
                  },
                  blocking);
            })
        .mapConcat(page -> page)
        .mapConcat(
            stored ->
                switch (AttestationCodec.decode(stored.bytes())) {
                  case DecodeResult.Ok<Attestation> ok ->
                      List.of(event(ok.value(), stored.bytes()));
                  case DecodeResult.Err<Attestation> err -> {
                    log.warn(
                        "stored attestation {} does not decode ({}); left out of a replay",
                        stored.key(),
                        err);
                    yield List.<ServerSentEvent>of();
                  }
                });
  }

  /** Ends every open stream (each ends cleanly after what it has buffered) and stops listening. */
  @Override
  public void close() {
    closed = true;
    feedSubscription.close();
    for (Subscriber s : subscribers) s.queue.complete();
    subscribers.forEach(this::remove);
  }
}
