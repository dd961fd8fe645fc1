package dev.vigil.devnet;

import dev.vigil.evm.EvmClient;
import dev.vigil.signing.MessageId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Publishes messages at a steady rate, alternating chains, on a small pool (a slow RPC answer must
 * not slow the rate), and records each publish in {@link Latencies}. Every run is bounded in count
 * and time.
 */
final class Traffic implements AutoCloseable {
  private final Chains chains;
  private final Latencies latencies;
  private final double rate;
  private final PrintStream out;
  private final Runnable progress;
  private final ExecutorService publishers =
      Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().name("publish-", 0).factory());
  private long sent; // messages handed to the publishers so far, across runs; also the next nonce

  Traffic(Chains chains, Latencies latencies, double rate, PrintStream out, Runnable progress) {
    this.chains = chains;
    this.latencies = latencies;
    this.rate = rate;
    this.out = out;
    this.progress = progress;
  }

  /**
   * Publishes until {@code count} messages were sent, {@code duration} passed, or {@code stop} says
   * so, whichever is first, printing progress every {@code every}.
   */
  synchronized void run(long count, Duration duration, BooleanSupplier stop, Duration every) {
    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    long nextPrint = start + every.toNanos();
    for (long n = 0; n < count; n++) {
      long due = start + n * intervalNanos;
      while (System.nanoTime() < due) {
        if (System.nanoTime() >= nextPrint) {
          progress.run();
          nextPrint += every.toNanos();
        }
        sleep(Duration.ofMillis(Math.min(50, Math.max(1, (due - System.nanoTime()) / 1_000_000))));
      }
      if (System.nanoTime() - start > duration.toNanos()
          || stop.getAsBoolean()
          || publishers.isShutdown()) break;
      int c = (int) (sent % 2);
      long seq = sent++;
      publishers.submit(() -> publish(c, seq));
    }
  }

  private void publish(int c, long n) {
    byte[] payload =
        ("devnet message " + n + " from " + Chains.NAMES[c] + " to " + Chains.NAMES[1 - c])
            .getBytes(StandardCharsets.UTF_8);
    try {
      long t = System.nanoTime();
      EvmClient.Published p =
          chains.sender(c).publishMessage(chains.chain(c).coreAddress(), n, payload, 1);
      latencies.published(new MessageId(c + 1, chains.emitter(c), p.sequence()), t);
    } catch (RuntimeException e) {
      latencies.publishFailed();
      out.println("publish on " + Chains.NAMES[c] + " failed: " + e.getMessage());
    }
  }

  /** Lets the publishes already handed over finish (bounded); no new run starts after this. */
  void drain(Duration bound) {
    publishers.shutdown();
    try {
      publishers.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    publishers.shutdownNow();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
