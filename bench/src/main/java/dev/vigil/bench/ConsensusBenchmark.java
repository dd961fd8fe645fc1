package dev.vigil.bench;

import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Throughput and latency of an in-JVM committee (4 and 7 members, real Pekko cluster on 127.0.0.1,
 * real RocksDB), fed observations as fast as it takes them, against the crypto bound measured in
 * the same run: the message rate this machine would reach if each member did nothing but one sign
 * and quorum-1 signature recoveries per message.
 *
 * <p>{@code vigil bench} calls {@link #run}; {@code main} takes [messages] [sizes...].
 */
public final class ConsensusBenchmark {
  /**
   * Messages per measured run. A run of 2000 lasts under a second, and C2 compiler threads took
   * about a fifth of the CPU in it (4 members, 2 cores), still compiling the node's code after an
   * equal warm-up; a node runs for days.
   */
  public static final int DEFAULT_MESSAGES = 20_000;

  /**
   * Messages in flight at most: the next observation goes in when fewer than this many are not yet
   * attested by every member. Enough to keep every batch full; with all 20000 fed at once, latency
   * measured the queue and the garbage collector copied the backlog ({@code -Dvigil.bench.window},
   * 0 for no limit).
   */
  static final int WINDOW = Integer.getInteger("vigil.bench.window", 2000);

  private ConsensusBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_MESSAGES;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
            : new int[] {4, 7};
    System.out.println(run(messages, sizes, Secp256k1Backends.preferred()));
    System.exit(0);
  }

  /** Committees of 4 and 7, the preferred (native when it loads) crypto backend. */
  public static String run(int messages) throws Exception {
    return run(messages, new int[] {4, 7}, Secp256k1Backends.preferred());
  }

  /** Runs the benchmark and returns the printed report. */
  public static String run(int messages, int[] sizes, Secp256k1 backend) throws Exception {
    StringBuilder out = new StringBuilder();
    int cores = Runtime.getRuntime().availableProcessors();
    out.append(
        String.format(
            Locale.ROOT,
            "Vigil consensus benchmark: %d messages per committee, at most %s in flight, crypto backend %s, %d cores%n",
            messages,
            WINDOW > 0 ? String.valueOf(WINDOW) : "all",
            backend.name(),
            cores));
    out.append(
        String.format(
            Locale.ROOT,
            "%-4s %10s %9s %9s %15s %7s %13s %10s%n",
            "n",
            "attest/s",
            "p50 ms",
            "p99 ms",
            "crypto bound/s",
            "ratio",
            "crypto us/msg",
            "cpu ratio"));
    for (int n : sizes) {
      // The bound is measured just before and just after the committee run and averaged, so that
      // both see the same machine (other load on shared cores moves both alike).
      Bound before = cryptoBound(n, backend, cores);
      Result r = runCommittee(n, messages, backend);
      Bound after = cryptoBound(n, backend, cores);
      double bound = (before.rate + after.rate) / 2;
      double unitCpu = (before.unitCpuNanos + after.unitCpuNanos) / 2;
      double needed = unitCpu * n * messages; // CPU the crypto alone needs for the whole run
      out.append(
          String.format(
              Locale.ROOT,
              "%-4d %10.1f %9.1f %9.1f %15.1f %6.0f%% %13.0f %9.0f%%%n",
              n,
              r.rate,
              r.p50,
              r.p99,
              bound,
              100 * r.rate / bound,
              unitCpu * n / 1000,
              100 * needed / r.cpuNanos));
    }
    out.append(
        "attest/s: messages attested by every member per second (wall clock); latency: observation handed to a member until that member\n");
    out.append(
        "  holds the attestation, the next observation fed as soon as fewer are in flight. crypto bound: the rate if each member only did one sign and\n");
    out.append(
        "  quorum-1 recoveries per message, on all cores; ratio = attest/s / bound. crypto us/msg: CPU time of that work for one\n");
    out.append(
        "  message across the committee; cpu ratio: that CPU over the CPU the whole run used (the same ratio, immune to other\n");
    out.append("  processes taking the cores).\n");
    return out.toString();
  }

  record Result(double rate, double p50, double p99, long cpuNanos) {}

  record Bound(double rate, double unitCpuNanos) {}

  /** CPU time per thread name with digits and actor-system names stripped (diagnostics). */
  private static Map<String, Long> cpuByThreadGroup() {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.HashMap<>();
    for (long id : bean.getAllThreadIds()) {
      var info = bean.getThreadInfo(id);
      long t = bean.getThreadCpuTime(id);
      if (info == null || t < 0) continue;
      String name = info.getThreadName().replaceAll("\\d+", "#");
      out.merge(name, t, Long::sum);
    }
    return out;
  }

  /**
   * CPU time per OS thread name (digits stripped) from /proc, which also sees the threads that the
   * JVM does not list: GC, JIT compilers, RocksDB's background threads (diagnostics; empty where
   * /proc is missing).
   */
  private static Map<String, Long> cpuByOsThreadGroup() {
    Map<String, Long> out = new java.util.HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).strip().replaceAll("\\d+", "#");
          long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).strip().split(" ")[0]);
          out.merge(name, ns, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private static void printTop(String title, Map<String, Long> before, Map<String, Long> after) {
    System.err.println(title);
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(
            e ->
                System.err.printf(Locale.ROOT, "  %8d %s%n", e.getValue() / 1_000_000, e.getKey()));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static Result runCommittee(int n, int messages, Secp256k1 backend) throws Exception {
    Path dir = Files.createTempDirectory("vigil-bench-" + n + "-");
    try (LocalCommittee c =
        LocalCommittee.create(n, dir, ConfigFactory.empty(), backend, 1000 + n)) {
      c.startAll();
      c.awaitConnected(Duration.ofSeconds(120));
      Map<MessageId, long[]> attestedAt = new ConcurrentHashMap<>();
      Map<MessageId, java.util.concurrent.atomic.AtomicInteger> holders = new ConcurrentHashMap<>();
      AtomicLong count = new AtomicLong();
      AtomicLong complete = new AtomicLong(); // messages attested by every member
      for (int i = 0; i < n; i++) {
        int member = i;
        var system = c.node(i).system();
        ActorRef<Attestation> sub =
            system.systemActorOf(
                Behaviors.receive(Attestation.class)
                    .onAnyMessage(
                        a -> {
                          long[] t = attestedAt.computeIfAbsent(a.messageId(), k -> new long[n]);
                          t[member] = System.nanoTime();
                          count.incrementAndGet();
                          if (holders
                                  .computeIfAbsent(
                                      a.messageId(),
                                      k -> new java.util.concurrent.atomic.AtomicInteger())
                                  .incrementAndGet()
                              == n) {
                            complete.incrementAndGet();
                          }
                          return Behaviors.same();
                        })
                    .build(),
                "bench-subscriber",
                Props.empty());
        system.tell(new ConsensusActor.Subscribe(sub));
      }
      // Warm-up (JIT, connections), then the measured run, each with its own emitter. Three times
      // as
      // long as the run: C2 keeps compiling the node's code for a long while (4 members, 2 cores,
      // 20000 messages: its threads took ~16% of the run's CPU after a warm-up of a fifth of the
      // run,
      // ~9% after one as long, ~5% after three times), and that is start-up cost, not steady
      // throughput.
      int warmUp = Integer.getInteger("vigil.bench.warmup", Math.max(1000, 3 * messages));
      feedAndWait(c, Observations.generate(warmUp, 7 + n, 64), count, complete, n);
      attestedAt.clear();
      holders.clear();
      count.set(0);
      complete.set(0);
      List<Observation> obs = Observations.generate(messages, 99 + n, 64);
      long start = System.nanoTime();
      long cpu0 = processCpuNanos();
      Map<String, Long> threads0 = cpuByThreadGroup();
      Map<String, Long> os0 = cpuByOsThreadGroup();
      java.time.Instant startedAt = java.time.Instant.now();
      long[] fedAt = feedAndWait(c, obs, count, complete, n);
      long cpu = processCpuNanos() - cpu0;
      if (Boolean.getBoolean("vigil.bench.threads")) {
        printTop(
            "CPU ms by thread group during the run (n="
                + n
                + ", "
                + startedAt
                + " to "
                + java.time.Instant.now()
                + "):",
            threads0,
            cpuByThreadGroup());
        for (int i = 0; i < n; i++) {
          var a = c.stats(i).aggregation();
          System.err.printf(
              Locale.ROOT,
              "member %d (warm-up and run): attested %d, from peers %d, late %d, duplicates %d, accepted %s%n",
              i,
              a.attested(),
              a.attestedFromPeers(),
              a.late(),
              a.duplicates(),
              a.acceptedBySigner());
        }
        printTop(
            "CPU ms by OS thread name (with GC, JIT and RocksDB threads; names cut at 15 characters), process total "
                + cpu / 1_000_000
                + " ms:",
            os0,
            cpuByOsThreadGroup());
      }
      long end = attestedAt.values().stream().flatMapToLong(Arrays::stream).max().orElse(start);
      List<Long> lat = new ArrayList<>();
      for (int k = 0; k < obs.size(); k++) {
        long[] t = attestedAt.get(obs.get(k).messageId());
        for (int i = 0; i < n; i++) lat.add(t[i] - fedAt[k]);
      }
      lat.sort(Comparator.naturalOrder());
      ConsensusStats s = c.stats(0);
      if (s.aggregation().invalidSignatures() + s.aggregation().invalidAttestations() > 0) {
        throw new IllegalStateException("honest benchmark committee saw invalid signatures: " + s);
      }
      return new Result(
          messages / ((end - start) / 1e9),
          lat.get(lat.size() / 2) / 1e6,
          lat.get((int) (lat.size() * 0.99)) / 1e6,
          cpu);
    } finally {
      deleteTree(dir);
    }
  }

  private static long[] feedAndWait(
      LocalCommittee c, List<Observation> obs, AtomicLong count, AtomicLong complete, int n)
      throws InterruptedException {
    long[] fedAt = new long[obs.size()];
    for (int k = 0; k < obs.size(); k++) {
      while (WINDOW > 0 && k - complete.get() >= WINDOW)
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
      fedAt[k] = System.nanoTime();
      for (int i = 0; i < n; i++) c.observe(i, obs.get(k));
    }
    long expected = (long) obs.size() * n;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (count.get() < expected) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "only " + count.get() + " of " + expected + " attestations in 10 min");
      Thread.sleep(20);
    }
    return fedAt;
  }

  /**
   * Messages per second if each member only signed once and recovered quorum-1 signatures, on all
   * cores.
   */
  static Bound cryptoBound(int n, Secp256k1 backend, int threads) throws InterruptedException {
    int recoveries = Committee.quorum(n) - 1;
    var signer = new LocalKeySigner(PrivateKey.fromBytes(Keccak256.hash(new byte[] {1})), backend);
    unitsOfWork(signer, backend, recoveries, 300, 1); // warm-up
    long durationNanos = TimeUnit.SECONDS.toNanos(3);
    AtomicLong units = new AtomicLong();
    AtomicLong cpuNanos = new AtomicLong();
    var threadBean = java.lang.management.ManagementFactory.getThreadMXBean();
    CountDownLatch done = new CountDownLatch(threads);
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int seed = t + 10;
      Thread.ofPlatform()
          .start(
              () -> {
                long c0 = threadBean.getCurrentThreadCpuTime();
                long k = 0;
                while (System.nanoTime() - t0 < durationNanos) {
                  unitsOfWork(signer, backend, recoveries, 20, seed * 1_000_003 + (int) k);
                  k += 20;
                }
                units.addAndGet(k);
                cpuNanos.addAndGet(threadBean.getCurrentThreadCpuTime() - c0);
                done.countDown();
              });
    }
    done.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    // one unit = one member's crypto for one message
    return new Bound(units.get() / seconds / n, (double) cpuNanos.get() / units.get());
  }

  private static void unitsOfWork(
      LocalKeySigner signer, Secp256k1 backend, int recoveries, int units, int seed) {
    for (int u = 0; u < units; u++) {
      byte[] digest = Keccak256.hash(ByteBuffer.allocate(8).putInt(seed).putInt(u).array());
      Signature sig = signer.sign(digest);
      for (int r = 0; r < recoveries; r++) {
        if (backend.recoverAddress(digest, sig) == null)
          throw new IllegalStateException("recovery failed");
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
