package dev.vigil.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusSettings;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.FloodAttacker;
import dev.vigil.consensus.testing.HeapWatch;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.RogueNode;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Honest throughput under a flood. A committee of 4 in this JVM (real Pekko cluster on 127.0.0.1,
 * real RocksDB) where members 0..2, a quorum by themselves, are fed the same observations as fast
 * as {@link ConsensusBenchmark} feeds them, once with member 3 silent and once with member 3 (a
 * {@link RogueNode} holding member 3's real key, or with {@code --outsider} a node that is no
 * member) sending the {@link FloodAttacker} mix at a bounded rate. Each phase has a fresh committee
 * with the same keys and the same observations. Prints attestations/s of both phases and their
 * ratio, what the attacker sent per second, and memory: the largest heap after a collection during
 * each phase, the live heap after a full collection at its end, and the honest members' aggregator
 * state.
 *
 * <p>{@code vigil bench --flood} calls {@link #run}; {@code main} takes [messages] [attacker rate].
 */
public final class FloodBenchmark {
  /** The share of clean throughput the honest members must keep under the flood. */
  public static final double TARGET_RATIO = 0.80;

  /**
   * @param messages observations fed to the honest members in each measured phase
   * @param attackerRate hostile messages per second to each honest member during the flooded phase
   * @param rounds clean/flooded pairs (the ratio uses the sums)
   * @param outsider the attacker is a non-member that reached the cluster instead of member 3
   * @param overrides configuration for the guardians (e.g. vigil.consensus limits)
   */
  public record Settings(
      int messages, double attackerRate, int rounds, boolean outsider, Config overrides) {
    public static final int DEFAULT_MESSAGES = 2000;
    public static final double DEFAULT_RATE = 100;

    public Settings {
      if (messages < 1)
        throw new IllegalArgumentException("messages must be >= 1, got " + messages);
      if (!(attackerRate > 0))
        throw new IllegalArgumentException("attacker rate must be > 0, got " + attackerRate);
      if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_MESSAGES, DEFAULT_RATE, 1, false, ConfigFactory.empty());
    }
  }

  private static final int N = 4;
  private static final int ATTACKER = 3;
  private static final long SEED = 4242;
  private static final Duration PRE_FLOOD = Duration.ofSeconds(2);

  private FloodBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings d = Settings.defaults();
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : d.messages();
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : d.attackerRate();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : d.rounds();
    boolean outsider = args.length > 3 && args[3].equals("outsider");
    System.out.println(
        run(
            new Settings(messages, rate, rounds, outsider, ConfigFactory.empty()),
            Secp256k1Backends.preferred()));
    System.exit(0);
  }

  /** What one phase measured. */
  record Phase(
      boolean flooded,
      double rate,
      double p50,
      double p99,
      double cores,
      double attackerCores,
      long heapMaxAfterGc,
      long heapLive,
      long directMax,
      FloodAttacker.Totals attack,
      List<ConsensusStats> honest) {}

  public static String run(Settings s, Secp256k1 backend) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    List<Observation> warm = Observations.generate(Math.max(200, s.messages() / 4), SEED + 1, 64);
    List<Observation> work = Observations.generate(s.messages(), SEED + 2, 64);
    Signer key =
        s.outsider()
            ? new LocalKeySigner(
                PrivateKey.fromBytes(
                    Keccak256.hash("vigil-flood-outsider".getBytes(StandardCharsets.UTF_8))),
                backend)
            : null;
    List<Phase> phases = new ArrayList<>();
    FloodAttacker attacker = null;
    try (HeapWatch watch = new HeapWatch()) {
      for (int round = 0; round < s.rounds(); round++) {
        for (boolean flooded : new boolean[] {false, true}) {
          Path dir = Files.createTempDirectory("vigil-flood-");
          try (LocalCommittee c = LocalCommittee.create(N, dir, s.overrides(), backend, SEED)) {
            if (attacker == null) {
              Signer k = key != null ? key : c.signer(ATTACKER);
              // More real signatures over unobserved bodies than a guardian holds for one peer: the
              // cap must act.
              int cap =
                  ConsensusSettings.fromConfig(s.overrides().withFallback(ConfigFactory.load()))
                      .aggregator()
                      .maxUnseenPerPeer();
              int unseenValid = cap + Math.max(200, cap / 5);
              attacker =
                  new FloodAttacker(
                      c.committee().index(), k, ATTACKER, N, work, unseenValid, SEED + 3);
            }
            phases.add(runPhase(c, s, flooded ? attacker : null, warm, work, watch));
          } finally {
            deleteTree(dir);
          }
        }
      }
    }
    return report(s, backend, cores, phases);
  }

  private static Phase runPhase(
      LocalCommittee c,
      Settings s,
      FloodAttacker attacker,
      List<Observation> warm,
      List<Observation> work,
      HeapWatch watch)
      throws Exception {
    for (int i = 0; i < ATTACKER; i++) c.start(i);
    try (RogueNode rogue = s.outsider() ? RogueNode.outsider(c) : RogueNode.asMember(c, ATTACKER)) {
      c.awaitConnected(Duration.ofSeconds(120));
      List<ActorRef<Object>> targets =
          rogue.awaitInboxes(c.committee().index(), ATTACKER, Duration.ofSeconds(120));
      Map<MessageId, long[]> attestedAt = new ConcurrentHashMap<>();
      AtomicLong count = new AtomicLong();
      for (int i = 0; i < ATTACKER; i++) {
        int member = i;
        var system = c.node(i).system();
        ActorRef<Attestation> sub =
            system.systemActorOf(
                Behaviors.receive(Attestation.class)
                    .onAnyMessage(
                        a -> {
                          long[] t =
                              attestedAt.computeIfAbsent(a.messageId(), k -> new long[ATTACKER]);
                          t[member] = System.nanoTime();
                          count.incrementAndGet();
                          return Behaviors.same();
                        })
                    .build(),
                "flood-subscriber",
                Props.empty());
        system.tell(new ConsensusActor.Subscribe(sub));
      }
      feedAndWait(c, warm, count);
      attestedAt.clear();
      count.set(0);
      HeapWatch.liveAfterFullGc(); // each phase starts from the same clean heap
      watch.reset();
      AtomicLong directMax = new AtomicLong(HeapWatch.directUsed());

      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<FloodAttacker.Totals> totals = new AtomicReference<>();
      AtomicReference<Throwable> attackFailed = new AtomicReference<>();
      Thread flood = null;
      if (attacker != null) {
        flood =
            Thread.ofPlatform()
                .name("flood-attacker")
                .start(
                    () -> {
                      try {
                        totals.set(
                            attacker.send(
                                targets,
                                s.attackerRate(),
                                Long.MAX_VALUE,
                                TimeUnit.MINUTES.toNanos(30),
                                stop::get));
                      } catch (Throwable t) {
                        attackFailed.set(t);
                      }
                    });
        Thread.sleep(
            PRE_FLOOD.toMillis()); // the guardians are already under attack when the work arrives
      }
      long start = System.nanoTime();
      long cpu0 = processCpuNanos();
      Map<String, Long> threads0 = cpuByThreadGroup();
      long[] fedAt = new long[work.size()];
      for (int k = 0; k < work.size(); k++) {
        fedAt[k] = System.nanoTime();
        for (int i = 0; i < ATTACKER; i++) c.observe(i, work.get(k));
      }
      long expected = (long) work.size() * ATTACKER;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      while (count.get() < expected) {
        if (System.nanoTime() > deadline) {
          stop.set(true);
          throw new IllegalStateException(
              "only "
                  + count.get()
                  + " of "
                  + expected
                  + " attestations in 15 min"
                  + (attacker != null ? " under the flood" : ""));
        }
        directMax.accumulateAndGet(HeapWatch.directUsed(), Math::max);
        Thread.sleep(20);
      }
      long cpu = processCpuNanos() - cpu0;
      long wall = System.nanoTime() - start;
      Map<String, Long> threads = cpuByThreadGroup();
      threads.replaceAll((k, v) -> v - threads0.getOrDefault(k, 0L));
      long attackerCpu =
          threads.entrySet().stream()
              .filter(e -> e.getKey().contains("rogue") || e.getKey().startsWith("flood-attacker"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      if (Boolean.getBoolean("vigil.bench.threads")) {
        System.err.printf(
            Locale.ROOT,
            "CPU ms by thread group, %s phase:%n",
            attacker != null ? "flooded" : "clean");
        threads.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(15)
            .forEach(
                e ->
                    System.err.printf(
                        Locale.ROOT, "  %8d %s%n", e.getValue() / 1_000_000, e.getKey()));
      }
      stop.set(true);
      if (flood != null) flood.join();
      if (attackFailed.get() != null)
        throw new IllegalStateException("the attacker failed", attackFailed.get());
      long heapMax = watch.maxAfterGc();
      long end = attestedAt.values().stream().flatMapToLong(Arrays::stream).max().orElse(start);
      List<Long> lat = new ArrayList<>();
      for (int k = 0; k < work.size(); k++) {
        long[] t = attestedAt.get(work.get(k).messageId());
        for (int i = 0; i < ATTACKER; i++) lat.add(t[i] - fedAt[k]);
      }
      lat.sort(Comparator.naturalOrder());
      List<ConsensusStats> honest = new ArrayList<>();
      for (int i = 0; i < ATTACKER; i++) honest.add(c.stats(i));
      long live = HeapWatch.liveAfterFullGc(); // with the committee still up: what it retains
      return new Phase(
          attacker != null,
          work.size() / ((end - start) / 1e9),
          lat.get(lat.size() / 2) / 1e6,
          lat.get((int) (lat.size() * 0.99)) / 1e6,
          (double) cpu / wall,
          (double) attackerCpu / wall,
          heapMax,
          live,
          directMax.get(),
          totals.get(),
          honest);
    }
  }

  /** CPU time per thread name with digits stripped (threads that ended meanwhile are missed). */
  private static Map<String, Long> cpuByThreadGroup() {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.HashMap<>();
    for (long id : bean.getAllThreadIds()) {
      var info = bean.getThreadInfo(id);
      long t = bean.getThreadCpuTime(id);
      if (info == null || t < 0) continue;
      out.merge(info.getThreadName().replaceAll("\\d+", "#"), t, Long::sum);
    }
    return out;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void feedAndWait(LocalCommittee c, List<Observation> obs, AtomicLong count)
      throws InterruptedException {
    for (Observation o : obs) for (int i = 0; i < ATTACKER; i++) c.observe(i, o);
    long expected = (long) obs.size() * ATTACKER;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (count.get() < expected) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "warm-up: only " + count.get() + " of " + expected + " in 10 min");
      Thread.sleep(20);
    }
  }

  private static String report(Settings s, Secp256k1 backend, int cores, List<Phase> phases) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Vigil flood benchmark: committee of %d, %s floods members 0..2 at %.0f messages/s each; %d messages per phase, %d round(s),"
                + " crypto backend %s, %d cores, max heap %d MiB%n",
            N,
            s.outsider() ? "a non-member node" : "member 3",
            s.attackerRate(),
            s.messages(),
            s.rounds(),
            backend.name(),
            cores,
            Runtime.getRuntime().maxMemory() >> 20));
    out.append(
        String.format(
            Locale.ROOT,
            "%-8s %10s %9s %9s %7s %9s %14s %10s %11s%n",
            "phase",
            "attest/s",
            "p50 ms",
            "p99 ms",
            "cores",
            "attacker",
            "heap max MiB",
            "live MiB",
            "direct MiB"));
    double clean = 0, flooded = 0;
    for (Phase p : phases) {
      if (p.flooded()) flooded += p.rate();
      else clean += p.rate();
      out.append(
          String.format(
              Locale.ROOT,
              "%-8s %10.1f %9.1f %9.1f %7.2f %9.2f %14.1f %10.1f %11.1f%n",
              p.flooded() ? "flooded" : "clean",
              p.rate(),
              p.p50(),
              p.p99(),
              p.cores(),
              p.attackerCores(),
              mib(p.heapMaxAfterGc()),
              mib(p.heapLive()),
              mib(p.directMax())));
    }
    double ratio = flooded / clean;
    out.append(
        String.format(
            Locale.ROOT,
            "flooded / clean: %.1f%% (target >= %.0f%%): %s%n",
            100 * ratio,
            100 * TARGET_RATIO,
            ratio >= TARGET_RATIO ? "OK" : "BELOW TARGET"));
    for (Phase p : phases) {
      if (!p.flooded()) continue;
      FloodAttacker.Totals t = p.attack();
      double sec = t.seconds();
      out.append(
          String.format(
              Locale.ROOT,
              "attacker sent, to the 3 honest members together, over %.1f s: %.0f messages/s, %.0f entries/s,"
                  + " %.1f MiB/s%n",
              sec,
              t.messages() / sec,
              t.items() / sec,
              t.bytes() / sec / (1 << 20)));
      StringBuilder kinds = new StringBuilder("  messages by kind:");
      t.messagesByKind()
          .forEach(
              (k, v) ->
                  kinds
                      .append(' ')
                      .append(k.name().toLowerCase(Locale.ROOT))
                      .append('=')
                      .append(v));
      out.append(kinds).append('\n');
      for (int i = 0; i < p.honest().size(); i++) {
        ConsensusStats cs = p.honest().get(i);
        AggregationStats a = cs.aggregation();
        out.append(
            String.format(
                Locale.ROOT,
                "  member %d at the end: pending local %d, unseen %d; invalid signatures %d, suspect drops of 3 %d, unseen-cap drops by 3 %d,"
                    + " batches unauthenticated %d, shed %d, undecodable messages %d, undecodable entries %d%n",
                i,
                a.pendingLocal(),
                a.pendingUnseen(),
                a.invalidSignatures(),
                a.suspectDroppedBySigner().get(ATTACKER),
                a.capDroppedBySigner().get(ATTACKER),
                cs.batchesUnauthenticated(),
                cs.batchesShed(),
                cs.undecodableMessages(),
                cs.undecodableItems()));
      }
    }
    out.append(
        "attest/s: messages attested by each of members 0..2 per second (wall clock, all observations fed at once).\n");
    out.append(
        "cores: CPU time this JVM used during the measured part over its wall time (2.00 = 2 cores busy); attacker: the part\n");
    out.append(
        "  of it on the attacker's own threads (encoding, framing, TCP sends): CPU the guardians would have had on their own machines.\n");
    out.append(
        "heap max: the largest heap in use right after any collection during the measured part of the phase; live: heap\n");
    out.append(
        "  after a full collection at its end, committee still up; direct: off-heap buffers (Artery's frames), sampled.\n");
    return out.toString();
  }

  private static double mib(long bytes) {
    return bytes / (double) (1 << 20);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
