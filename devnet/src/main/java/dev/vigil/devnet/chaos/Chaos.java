package dev.vigil.devnet.chaos;

import dev.vigil.devnet.Devnet;
import dev.vigil.devnet.DevnetOptions;
import dev.vigil.testing.disk.DataDisks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chaos scenario on a devnet: a steady message stream, a seeded fault schedule ({@link
 * FaultPlan}: SIGKILL of up to f guardians with restart, SIGSTOP/SIGCONT, a flaky RPC endpoint on a
 * chain, disk faults, up to f guardians cut off from the rest by a network partition, one split
 * that leaves no side a quorum, and one phase with f+1 guardians down), then the invariants checked
 * against every guardian's API and the destination contracts. Traffic flows until the last phase
 * has ended, however late it comes. Bounded: the schedule runs for about {@code duration} (longer
 * on a slow machine, within {@link #scheduleBound}), the checks for {@code settle} more.
 */
public final class Chaos {
  /**
   * @param nodes guardians (at least 4, so that f is at least 1)
   * @param duration how long traffic and faults run
   * @param seed the fault schedule's seed; the same seed gives the same schedule
   * @param rate messages per second, both directions together
   * @param settle how long after the last fault every message must be attested and delivered
   * @param workDir the devnet's work dir (wiped)
   * @param out where progress and the summary go
   */
  public record Options(
      int nodes,
      Duration duration,
      long seed,
      double rate,
      Duration settle,
      Path workDir,
      PrintStream out) {
    public Options {
      if (nodes < 4)
        throw new IllegalArgumentException("--nodes must be at least 4 (f >= 1), got " + nodes);
      if (duration.compareTo(Duration.ofSeconds(30)) < 0) {
        throw new IllegalArgumentException(
            "--duration must be at least 30s (warm-up, faults and a quorum-loss phase), got "
                + duration);
      }
      if (settle.isNegative() || settle.isZero())
        throw new IllegalArgumentException("--settle must be positive, got " + settle);
    }
  }

  /**
   * A phase this late is said to be: heals and restarts take a few seconds more than planned on any
   * machine.
   */
  private static final long LATE_MS = 5_000;

  private final Options options;
  private final int diskMiB;

  private Chaos(Options options, int diskMiB) {
    this.options = options;
    this.diskMiB = diskMiB;
  }

  /** Runs one scenario and prints its summary table. */
  public static Report run(Options o) {
    return run(o, DataDisks.DEFAULT_SIZE_MIB);
  }

  /** With each guardian's data dir on a file system of {@code diskMiB} (0: no disk faults). */
  public static Report run(Options o, int diskMiB) {
    return new Chaos(o, diskMiB).runScenario();
  }

  /** However slow the machine, the schedule (and the traffic beside it) ends within this. */
  static Duration scheduleBound(Duration duration) {
    return duration.multipliedBy(3).plusMinutes(10);
  }

  private Report runScenario() {
    DevnetOptions devnetOptions =
        DevnetOptions.defaults(options.workDir(), options.out())
            .withFreePorts()
            .withNodes(options.nodes())
            .withRate(options.rate())
            .withRpcProxies(true)
            .withLinkProxies(true);
    DataDisks disks = new DataDisks(options.workDir(), diskMiB);
    ChaosLog log = new ChaosLog(options.out());
    try (Devnet devnet = Devnet.start(devnetOptions, disks);
        Probe probe = new Probe(devnet)) {
      Scene scene =
          new Scene(
              devnet,
              probe,
              log,
              new Findings(options.nodes()),
              new Durability(devnet, probe, options.seed()));
      if (disks.unavailable() != null)
        log.say("disk faults will be skipped: %s", disks.unavailable());
      FaultPlan plan =
          FaultPlan.of(
              options.seed(), options.nodes(), options.duration(), disks.unavailable() == null);
      log.restartClock();
      log.say(
          "seed %d, %d guardians, f = %d, faults for %ds",
          options.seed(), options.nodes(), plan.f(), options.duration().toSeconds());
      plan.notes().forEach(n -> log.say("%s", n));
      AtomicBoolean faultsOver = new AtomicBoolean();
      Duration bound = scheduleBound(options.duration());
      long maxMessages = (long) Math.ceil(options.rate() * bound.toSeconds());
      Thread traffic =
          Thread.ofPlatform()
              .name("chaos-traffic")
              .start(
                  () ->
                      devnet.runTraffic(
                          maxMessages, bound, faultsOver::get, Duration.ofSeconds(10)));
      try {
        runPlan(plan, scene, disks, bound);
      } finally {
        faultsOver.set(true);
        join(traffic);
      }
      log.say(
          "faults over, traffic stopped; waiting up to %ds for every message to be delivered",
          options.settle().toSeconds());
      long deadline = System.nanoTime() + options.settle().toNanos();
      boolean delivered = devnet.awaitDelivered(options.settle(), Duration.ofSeconds(5));
      // Delivery needs one guardian's attestation; liveness needs every guardian to hold every
      // message.
      boolean everywhere = delivered && awaitHeldByAll(scene, deadline);
      Duration recovery =
          everywhere ? Duration.ofNanos(System.nanoTime() - log.lastFaultEnd()) : null;
      Report r =
          new Invariants(scene, options.settle(), disks.unavailable())
              .check(options.seed(), recovery);
      options.out().println();
      options.out().print(r.table());
      options.out().flush();
      return r;
    }
  }

  /**
   * Runs the phases in order: each at its planned time or, when running late, once the previous one
   * has ended and its gap passed; then traffic flows for the plan's tail.
   */
  private void runPlan(FaultPlan plan, Scene scene, DataDisks disks, Duration bound) {
    ChaosLog log = scene.log();
    KillInjector kills = new KillInjector(scene);
    FreezeInjector freezes = new FreezeInjector(scene);
    RpcInjector rpc = new RpcInjector(scene);
    DiskInjector disk = new DiskInjector(scene, disks);
    PartitionInjector partitions = new PartitionInjector(scene);
    QuorumLossInjector quorumLoss = new QuorumLossInjector(scene);
    long deadlineMs = bound.toMillis();
    long previousEndMs = 0;
    for (FaultPlan.Phase phase : plan.phases()) {
      long dueMs = Math.max(phase.atMs(), previousEndMs + phase.gapBeforeMs());
      if (dueMs - phase.atMs() >= LATE_MS) {
        log.say(
            "%.1fs behind the plan (a slow machine, or slow heals): the %s phase starts late",
            (dueMs - phase.atMs()) / 1000.0, phase.kind());
      }
      if (dueMs > deadlineMs) {
        log.say(
            "the schedule ran past its bound of %ds; %s and later phases not run",
            deadlineMs / 1000, phase.kind());
        break;
      }
      sleepUntil(log, dueMs);
      switch (phase.fault()) {
        case FaultPlan.Kill k -> kills.inject(phase, k);
        case FaultPlan.Freeze f -> freezes.inject(phase, f);
        case FaultPlan.Rpc r -> rpc.inject(phase, r);
        case FaultPlan.Disk d -> disk.inject(phase, d);
        case FaultPlan.Isolate i -> partitions.isolate(phase, i);
        case FaultPlan.Split s -> partitions.split(phase, s);
        case FaultPlan.QuorumLoss q -> quorumLoss.inject(phase, q);
      }
      previousEndMs = log.elapsedMs();
    }
    // traffic keeps flowing after the last restart: until the planned end, and at least the plan's
    // tail
    sleepUntil(
        log,
        Math.max(options.duration().toMillis(), previousEndMs + Math.max(5_000, plan.tailMs())));
  }

  /**
   * Polls every guardian's API until each holds an attestation for every published message, or the
   * deadline.
   */
  private static boolean awaitHeldByAll(Scene scene, long deadlineNanos) {
    var ids = scene.devnet().publishedIds();
    Set<String> held =
        new HashSet<>(); // guardian/message pairs seen: an attestation, once held, stays
    while (true) {
      int missing = 0;
      for (var id : ids) {
        for (int g = 0; g < scene.nodes(); g++) {
          String k = g + "/" + id;
          if (held.contains(k)) continue;
          if (scene.probe().rawAttestation(g, id).isPresent()) held.add(k);
          else missing++;
        }
      }
      if (missing == 0) return true;
      if (System.nanoTime() >= deadlineNanos) return false;
      scene.log().say("%d guardian/message pairs still without an attestation; waiting", missing);
      sleep(3_000);
    }
  }

  private static void sleepUntil(ChaosLog log, long ms) {
    long left = ms - log.elapsedMs();
    if (left > 0) sleep(left);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
