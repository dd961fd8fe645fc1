package dev.vigil.node.observer;

import dev.vigil.consensus.observation.Observation;
import dev.vigil.signing.Bytes32;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One source chain's observer: polls the chain through {@link ObserverCore} on the blocking
 * dispatcher, hands final observations to consensus and only then saves its cursors. RPC failures
 * are retried with exponential backoff and jitter, logged once per episode, counted, and shown in
 * {@link ChainHealth}; they never stop the actor.
 */
public final class ChainObserver extends AbstractBehavior<ChainObserver.Command> {
  public sealed interface Command {}

  /** A peer's ObservationRequest: re-read this transaction and reply with what is final in it. */
  public record Reobserve(Bytes32 txHash, ActorRef<List<Observation>> replyTo) implements Command {}

  /**
   * An operator's scan of blocks {@code from..to} for final messages ({@code vigil admin
   * find-missing}), on the re-read thread.
   */
  public record Scan(long from, long to, ActorRef<ScanResult> replyTo) implements Command {}

  /** The final messages found, or why the scan failed. */
  public record ScanResult(List<Observation> observations, String error) {}

  private record Poll() implements Command {}

  private record Polled(ObserverCore.Step step) implements Command {}

  private record Handed(ObserverCore.Step step, Throwable error) implements Command {}

  private record PollFailed(Throwable error) implements Command {}

  /** Timing of one observer. */
  public record Settings(Duration pollInterval, Duration maxBackoff) {
    public Settings {
      if (pollInterval.isNegative() || pollInterval.isZero())
        throw new IllegalArgumentException("poll interval must be > 0");
      if (maxBackoff.compareTo(pollInterval) < 0)
        throw new IllegalArgumentException("max backoff must be >= poll interval");
    }
  }

  public static final String BLOCKING_DISPATCHER = "vigil.node.observer-dispatcher";

  /**
   * Re-reads for peers run on one thread of their own per chain, never on the polling dispatcher,
   * with at most this many waiting: more are shed (answered with nothing, counted, logged), so a
   * flood of requests neither delays polling nor piles up.
   */
  public static final int REREAD_QUEUE = 64;

  private final ObserverCore core;
  private final ObservationSink sink;
  private final Settings settings;
  private final ChainHealth health;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final ThreadPoolExecutor rereads;
  private long shedLoggedAtMillis;
  private long shedSinceLog;
  private int failures;
  private long episodeStartMillis;

  public static Behavior<Command> create(
      ObserverCore core, ObservationSink sink, Settings settings, ChainHealth health) {
    return Behaviors.<Command>supervise(
            Behaviors.setup(
                ctx ->
                    Behaviors.withTimers(
                        t -> new ChainObserver(ctx, t, core, sink, settings, health))))
        .onFailure(
            SupervisorStrategy.restartWithBackoff(
                Duration.ofSeconds(1), Duration.ofMinutes(1), 0.2));
  }

  private ChainObserver(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ObserverCore core,
      ObservationSink sink,
      Settings settings,
      ChainHealth health) {
    super(ctx);
    this.timers = timers;
    this.core = core;
    this.sink = sink;
    this.settings = settings;
    this.health = health;
    this.blocking =
        ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
    this.rereads =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(REREAD_QUEUE),
            r -> {
              Thread t = new Thread(r, "vigil-reread-chain-" + core.chain());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    ctx.getSelf().tell(new Poll());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Poll.class, p -> startPoll())
        .onMessage(Polled.class, this::onPolled)
        .onMessage(Handed.class, this::onHanded)
        .onMessage(PollFailed.class, f -> onFailure(f.error()))
        .onMessage(Reobserve.class, this::onReobserve)
        .onMessage(Scan.class, this::onScan)
        .onSignal(PreRestart.class, s -> stopRereads())
        .onSignal(PostStop.class, s -> stopRereads())
        .build();
  }

  private Behavior<Command> stopRereads() {
    rereads.shutdownNow();
    return this;
  }

  private Behavior<Command> startPoll() {
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(core::poll, blocking),
            (step, error) -> error == null ? new Polled(step) : new PollFailed(unwrap(error)));
    return this;
  }

  private Behavior<Command> onPolled(Polled p) {
    ObserverCore.Step step = p.step();
    CompletableFuture<Void> handed =
        step.observations().isEmpty()
            ? CompletableFuture.completedFuture(null)
            : sink.accept(step.observations()).toCompletableFuture();
    getContext()
        .pipeToSelf(
            handed.thenRunAsync(() -> core.commit(step), blocking),
            (ok, error) -> new Handed(step, error));
    return this;
  }

  private Behavior<Command> onHanded(Handed h) {
    if (h.error() != null) return onFailure(unwrap(h.error()));
    ObserverCore.Step step = h.step();
    if (failures > 0) {
      getContext()
          .getLog()
          .info(
              "chain {}: RPC recovered after {} failed polls in {} s",
              core.chain(),
              failures,
              (System.currentTimeMillis() - episodeStartMillis) / 1000);
      failures = 0;
    }
    long processed =
        core.positions()
            .getOrDefault(Finality.Level.FINALIZED, new ChainReader.BlockRef(-1, "", 0, ""))
            .number();
    health.succeeded(
        step.heights(),
        processed,
        step.observations().size(),
        core.reorgsBelowFinality(),
        core.oversizedPayloads(),
        System.currentTimeMillis());
    if (!step.observations().isEmpty()) {
      getContext()
          .getLog()
          .debug(
              "chain {}: {} final observations handed to consensus",
              core.chain(),
              step.observations().size());
    }
    // Behind the final height: read the next range at once; caught up: wait for new blocks.
    if (step.caughtUp()) timers.startSingleTimer(new Poll(), settings.pollInterval());
    else getContext().getSelf().tell(new Poll());
    return this;
  }

  /**
   * How soon a range is read again after consensus or the cursor store could not write it (a full
   * or read-only disk).
   */
  static final Duration STORAGE_RETRY = Duration.ofSeconds(1);

  private Behavior<Command> onFailure(Throwable error) {
    if (isStorageFailure(error)) {
      // Not the chain's fault: RPC health and backoff stay as they are. The database logs the cause
      // once and /readyz reports it; the range is read again until the disk takes writes.
      getContext()
          .getLog()
          .debug(
              "chain {}: observations not held durably, reading the range again: {}",
              core.chain(),
              error.toString());
      timers.startSingleTimer(new Poll(), STORAGE_RETRY);
      return this;
    }
    failures++;
    String msg = error.getMessage() != null ? error.getMessage() : error.toString();
    health.failed(msg);
    if (failures == 1) {
      episodeStartMillis = System.currentTimeMillis();
      getContext()
          .getLog()
          .warn(
              "chain {}: polling failed, retrying with backoff (further failures logged at debug until it recovers): {}",
              core.chain(),
              msg);
    } else {
      getContext().getLog().debug("chain {}: poll failure #{}: {}", core.chain(), failures, msg);
    }
    timers.startSingleTimer(new Poll(), backoff(failures));
    return this;
  }

  private static boolean isStorageFailure(Throwable t) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof dev.vigil.storage.StorageException) return true;
    }
    return false;
  }

  private Duration backoff(int n) {
    long base = settings.pollInterval().toMillis() << Math.min(n, 16);
    long capped = Math.min(base, settings.maxBackoff().toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
  }

  private Behavior<Command> onReobserve(Reobserve r) {
    org.slf4j.Logger log =
        getContext().getLog(); // resolved here: the callback runs on another thread
    CompletableFuture<List<Observation>> reread;
    try {
      reread = CompletableFuture.supplyAsync(() -> core.reobserve(r.txHash()), rereads);
    } catch (RejectedExecutionException full) {
      health.rereadShed();
      shedSinceLog++;
      long now = System.currentTimeMillis();
      if (now - shedLoggedAtMillis >= 10_000) {
        log.warn(
            "chain {}: shed {} re-read requests from peers in the last {} s: {} are waiting already"
                + " (peers re-ask while a message lacks a quorum; many at once may be a flood)",
            core.chain(),
            shedSinceLog,
            shedLoggedAtMillis == 0 ? 0 : (now - shedLoggedAtMillis) / 1000,
            REREAD_QUEUE);
        shedLoggedAtMillis = now;
        shedSinceLog = 0;
      }
      r.replyTo().tell(List.of());
      return this;
    }
    reread.whenComplete(
        (obs, error) -> {
          if (error != null) {
            log.warn(
                "chain {}: re-reading tx {} for a peer failed: {}",
                core.chain(),
                r.txHash(),
                unwrap(error).getMessage());
            r.replyTo().tell(List.of());
          } else {
            r.replyTo().tell(obs);
          }
        });
    return this;
  }

  private Behavior<Command> onScan(Scan s) {
    CompletableFuture<List<Observation>> scan;
    try {
      scan = CompletableFuture.supplyAsync(() -> core.scan(s.from(), s.to()), rereads);
    } catch (RejectedExecutionException full) {
      s.replyTo()
          .tell(new ScanResult(List.of(), "the chain's re-read queue is full; try again shortly"));
      return this;
    }
    scan.whenComplete(
        (obs, error) ->
            s.replyTo()
                .tell(
                    error != null
                        ? new ScanResult(List.of(), String.valueOf(unwrap(error).getMessage()))
                        : new ScanResult(obs, null)));
    return this;
  }

  private static Throwable unwrap(Throwable t) {
    return (t instanceof java.util.concurrent.CompletionException && t.getCause() != null)
        ? t.getCause()
        : t;
  }
}
