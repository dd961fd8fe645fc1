package dev.vigil.devnet.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.devnet.Devnet;
import dev.vigil.devnet.DevnetOptions;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.MessageId;
import dev.vigil.testing.disk.DataDisks;
import dev.vigil.testing.net.FaultyRpcProxy;
import dev.vigil.testing.net.LinkProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One chaos scenario on a devnet: a steady message stream, a seeded fault schedule (SIGKILL of up
 * to f guardians with restart, SIGSTOP/SIGCONT, a flaky RPC endpoint on a chain, up to f guardians
 * cut off from the rest by a network partition, one split that leaves no side a quorum, and one
 * phase with f+1 guardians down), then the invariants checked against every guardian's API and the
 * destination contracts. Bounded: the schedule ends after {@code duration}, the checks after
 * {@code settle} more.
 */
public final class Chaos {
  /** The kinds of fault the schedule injects. */
  public enum FaultKind {
    KILL, FREEZE, RPC, QUORUM_LOSS, PARTITION,
    /** A guardian's data dir full (healed while it runs) or read-only (healed by stop, fsck, restart); see {@link DataDisks}. */
    DISK
  }

  /**
   * @param nodes guardians (at least 4, so that f is at least 1)
   * @param duration how long traffic and faults run
   * @param seed the fault schedule's seed; the same seed gives the same schedule
   * @param rate messages per second, both directions together
   * @param settle how long after the last fault every message must be attested and delivered
   * @param workDir the devnet's work dir (wiped)
   * @param out where progress and the summary go
   */
  public record Options(int nodes, Duration duration, long seed, double rate, Duration settle, Path workDir, PrintStream out) {
    public Options {
      if (nodes < 4) throw new IllegalArgumentException("--nodes must be at least 4 (f >= 1), got " + nodes);
      if (duration.compareTo(Duration.ofSeconds(30)) < 0) {
        throw new IllegalArgumentException("--duration must be at least 30s (warm-up, faults and a quorum-loss phase), got " + duration);
      }
      if (settle.isNegative() || settle.isZero()) throw new IllegalArgumentException("--settle must be positive, got " + settle);
    }
  }

  /** One verdict line of the summary. */
  public record Invariant(String name, boolean pass, String detail) {}

  /** What a scenario did and found. */
  public record Report(long seed, int nodes, Map<FaultKind, Integer> faults, long published, long attested, long delivered,
      Duration attestP99, Duration attestMax, Duration recovery, List<Invariant> invariants, List<String> faultLog) {
    public boolean allPass() {
      return invariants.stream().allMatch(Invariant::pass);
    }

    public String table() {
      StringBuilder b = new StringBuilder();
      b.append(String.format("== chaos scenario: seed %d, %d guardians (f = %d) ==%n", seed, nodes, (nodes - 1) / 3));
      row(b, "faults injected", faults.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + " " + e.getValue())
          .reduce((x, y) -> x + ", " + y).orElse("none"));
      row(b, "messages published", String.valueOf(published));
      row(b, "attested (all guardians)", String.valueOf(attested));
      row(b, "delivered", String.valueOf(delivered));
      row(b, "time to attest p99 / max", secs(attestP99) + " / " + secs(attestMax));
      row(b, "recovery after last fault", recovery == null ? "did not recover" : secs(recovery));
      for (Invariant i : invariants) row(b, "invariant " + i.name(), (i.pass() ? "PASS" : "FAIL") + "  " + i.detail());
      return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
      b.append(String.format("  %-28s %s%n", k, v));
    }

    private static String secs(Duration d) {
      return String.format("%.2fs", d.toMillis() / 1000.0);
    }
  }

  private final Options o;
  private final Random rnd;
  /** Separate from the schedule's generator: how much it draws depends on timing, the schedule must not. */
  private final Random sampling;
  private final int f;
  private long start = System.nanoTime(); // reset when the schedule starts
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
  private final List<String> faultLog = new ArrayList<>();
  /** attestations guardians served just before they were SIGKILLed: guardian → (message → digest) */
  private final Map<Integer, Map<MessageId, Digest>> servedBeforeKill = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private Devnet d;
  private long lastFaultEnd;
  private String stallDetail = "no quorum-loss phase ran";
  private boolean stallPass;
  private final int diskMiB;
  private DataDisks disks;
  /** One line per disk fault for the summary; pass only if every one behaved. */
  private final List<String> diskResults = new ArrayList<>();
  private boolean diskPass = true;
  private String diskSkipped;
  private final Partitions partitions = new Partitions();

  private Chaos(Options o, int diskMiB) {
    this.o = o;
    this.diskMiB = diskMiB;
    this.rnd = new Random(o.seed());
    this.sampling = new Random(~o.seed());
    this.f = (o.nodes() - 1) / 3;
  }

  /** Runs one scenario and prints its summary table. */
  public static Report run(Options o) {
    return run(o, DataDisks.DEFAULT_SIZE_MIB);
  }

  /** With each guardian's data dir on a file system of {@code diskMiB} (0: no disk faults). */
  public static Report run(Options o, int diskMiB) {
    return new Chaos(o, diskMiB).runScenario();
  }

  private Report runScenario() {
    DevnetOptions dopts = DevnetOptions.defaults(o.workDir(), o.out()).withFreePorts().withNodes(o.nodes()).withRate(o.rate())
        .withRpcProxies(true).withLinkProxies(true);
    disks = new DataDisks(o.workDir(), diskMiB);
    try (Devnet devnet = Devnet.start(dopts, disks)) {
      d = devnet;
      if (disks.unavailable() != null) say("disk faults will be skipped: %s", disks.unavailable());
      start = System.nanoTime();
      say("seed %d, %d guardians, f = %d, faults for %ds", o.seed(), o.nodes(), f, o.duration().toSeconds());
      Thread traffic = Thread.ofPlatform().name("chaos-traffic").start(
          () -> d.runTraffic(Long.MAX_VALUE, o.duration(), Duration.ofSeconds(10)));
      schedule();
      join(traffic);
      say("faults over, traffic stopped; waiting up to %ds for every message to be delivered", o.settle().toSeconds());
      long deadline = System.nanoTime() + o.settle().toNanos();
      boolean delivered = d.awaitDelivered(o.settle(), Duration.ofSeconds(5));
      // Delivery needs one guardian's attestation; liveness needs every guardian to hold every message.
      boolean everywhere = delivered && awaitHeldByAll(deadline);
      Duration recovery = everywhere ? Duration.ofNanos(System.nanoTime() - lastFaultEnd) : null;
      Report r = check(recovery);
      o.out().println();
      o.out().print(r.table());
      o.out().flush();
      return r;
    } finally {
      http.close();
    }
  }

  // ---- the fault schedule ----

  private void schedule() {
    long total = o.duration().toMillis();
    long warmup = Math.min(10_000, total / 10);
    long stall = Math.max(8_000, Math.min(30_000, total / 8));
    long tail = Math.max(5_000, total / 12); // traffic keeps flowing after the last restart
    long faultsEnd = total - stall - tail - stall - 5_000; // the split phase and a gap before the quorum loss
    long phaseMin = Math.max(4_000, Math.min(15_000, total / 20));
    sleepUntil(warmup);
    List<FaultKind> cycle = new ArrayList<>(List.of(FaultKind.KILL, FaultKind.FREEZE, FaultKind.RPC, FaultKind.DISK, FaultKind.PARTITION));
    // The first round injects every kind once at the shortest length, the partition (the slowest) first,
    // so a short run still sees every kind; later rounds are shuffled with random lengths. A kind that
    // does not fit in the time left gives its turn to the next one; the loop ends when none fits.
    Collections.shuffle(cycle, rnd);
    cycle.remove(FaultKind.PARTITION);
    cycle.addFirst(FaultKind.PARTITION);
    int k = 0;
    while (true) { // bounded: every turn sleeps len + gap, and the loop ends at faultsEnd
      if (k > 0 && k % cycle.size() == 0) Collections.shuffle(cycle, rnd);
      boolean firstRound = k < cycle.size();
      long len = firstRound ? phaseMin : phaseMin + rnd.nextLong(phaseMin);
      long gap = 3_000 + rnd.nextLong(3_000);
      FaultKind kind = null;
      for (int i = 0; i < cycle.size() - k % cycle.size() && kind == null; i++) {
        FaultKind c = cycle.get(k % cycle.size() + i);
        if (elapsedMs() + len + gap + overheadMs(c, len) <= faultsEnd) {
          kind = c;
          Collections.swap(cycle, k % cycle.size(), k % cycle.size() + i);
        } else {
          say("no time left for a %s phase of %.1fs", c, len / 1000.0);
        }
      }
      if (kind == null) break;
      switch (kind) {
        case KILL -> killPhase(len);
        case FREEZE -> freezePhase(len);
        case RPC -> rpcPhase(len);
        case DISK -> diskPhase(len);
        case PARTITION -> isolatePhase(len);
        default -> throw new IllegalStateException();
      }
      sleep(gap);
      k++;
    }
    sleepUntil(faultsEnd);
    splitPhase(stall);
    sleep(5_000);
    quorumLossPhase(stall);
    sleepUntil(total);
  }

  private void killPhase(long len) {
    List<Integer> victims = pick(1 + rnd.nextInt(f));
    for (int g : victims) {
      recordServed(g);
      d.guardian(g).kill();
    }
    fault(FaultKind.KILL, "SIGKILL guardians %s for %.1fs", victims, len / 1000.0);
    sleep(len);
    for (int g : victims) d.guardian(g).start();
    lastFaultEnd = System.nanoTime();
    say("restarted guardians %s", victims);
  }

  private void freezePhase(long len) {
    int g = pick(1).getFirst();
    d.guardian(g).freeze();
    fault(FaultKind.FREEZE, "SIGSTOP guardian %d for %.1fs", g, len / 1000.0);
    sleep(len);
    d.guardian(g).thaw();
    lastFaultEnd = System.nanoTime();
    say("SIGCONT guardian %d", g);
  }

  private static final FaultyRpcProxy.Mode[] RPC_FAULTS = {FaultyRpcProxy.Mode.HTTP_500, FaultyRpcProxy.Mode.GARBAGE,
      FaultyRpcProxy.Mode.TRUNCATED, FaultyRpcProxy.Mode.RPC_ERROR, FaultyRpcProxy.Mode.SLOW, FaultyRpcProxy.Mode.DROP, FaultyRpcProxy.Mode.LAG};

  private void rpcPhase(long len) {
    int chain = rnd.nextInt(2);
    FaultyRpcProxy.Mode mode = RPC_FAULTS[rnd.nextInt(RPC_FAULTS.length)];
    // the endpoint of some guardians, or of all of them (the chain's provider is down for everyone)
    List<Integer> targets = rnd.nextBoolean() ? IntStream.range(0, o.nodes()).boxed().toList() : pick(1 + rnd.nextInt(f));
    for (int g : targets) {
      d.rpcProxy(g, chain).slowDelay(Duration.ofSeconds(8));
      d.rpcProxy(g, chain).mode(mode);
    }
    fault(FaultKind.RPC, "RPC %s on chain %s for guardians %s, %.1fs", mode, chain == 0 ? "alpha" : "beta", targets, len / 1000.0);
    sleep(len);
    for (int g : targets) d.rpcProxy(g, chain).mode(FaultyRpcProxy.Mode.PASS);
    lastFaultEnd = System.nanoTime();
    say("RPC on chain %s healthy again", chain == 0 ? "alpha" : "beta");
  }

  /**
   * A full disk on one guardian and a read-only one on another: at the same time when f >= 2, one
   * after the other when f = 1. Each victim must stay up, say on /readyz why it is not ready, and
   * sign nothing it cannot record (the safety invariant checks that); the full one must take writes
   * again by itself once the ballast is gone, the read-only one must start on the repaired disk.
   */
  private void diskPhase(long len) {
    if (disks.unavailable() != null) {
      diskSkipped = disks.unavailable();
      say("disk fault skipped: %s", diskSkipped);
      return;
    }
    List<Integer> two = pick(2);
    int full = two.get(0);
    int readOnly = two.get(1);
    if (f >= 2) {
      fault(FaultKind.DISK, "disk full for guardian %d and read-only for guardian %d, %.1fs", full, readOnly, len / 1000.0);
      long t0 = System.nanoTime();
      String fullSeen = breakDisk(full, true);
      String roSeen = breakDisk(readOnly, false);
      sleep(Math.max(0, len - (System.nanoTime() - t0) / 1_000_000));
      healFull(full, fullSeen);
      healReadOnly(readOnly, roSeen);
    } else {
      fault(FaultKind.DISK, "disk full for guardian %d for %.1fs, then read-only for guardian %d for %.1fs", full, len / 2000.0,
          readOnly, len / 2000.0);
      long t0 = System.nanoTime();
      String fullSeen = breakDisk(full, true);
      sleep(Math.max(0, len / 2 - (System.nanoTime() - t0) / 1_000_000));
      healFull(full, fullSeen);
      t0 = System.nanoTime();
      String roSeen = breakDisk(readOnly, false);
      sleep(Math.max(0, len / 2 - (System.nanoTime() - t0) / 1_000_000));
      healReadOnly(readOnly, roSeen);
    }
    lastFaultEnd = System.nanoTime();
  }

  /** Injects the fault and waits (bounded) until the guardian's /readyz names it; returns what it said, or null. */
  private String breakDisk(int g, boolean full) {
    String cause = full ? "No space left on device" : "Read-only file system";
    long t0 = System.nanoTime();
    try {
      if (full) {
        long bytes = disks.fill(g);
        say("guardian %d: disk full (%d MiB ballast)", g, bytes >> 20);
      } else {
        disks.breakReadOnly(g);
        say("guardian %d: disk read-only (ext4 error)", g);
      }
    } catch (IOException e) {
      diskFailed("guardian %d: cannot inject the %s fault: %s", g, full ? "full" : "read-only", e.getMessage());
      return null;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String body = readyz(g);
      if (body != null && body.contains(cause)) {
        String seen = String.format("not ready %.1fs after the fault (\"%s\")", (System.nanoTime() - t0) / 1e9, cause);
        say("guardian %d: /readyz %s: %s", g, seen, body.length() > 600 ? body.substring(0, 600) + "..." : body);
        return seen;
      }
      sleep(250);
    }
    diskFailed("guardian %d: /readyz did not report \"%s\" within 20s of the %s fault", g, cause, full ? "full" : "read-only");
    return null;
  }

  private void healFull(int g, String seen) {
    long pid = d.guardian(g).pid();
    boolean alive = d.guardian(g).isAlive();
    try {
      disks.unfill(g);
    } catch (IOException e) {
      diskFailed("guardian %d: cannot delete the ballast: %s", g, e.getMessage());
      return;
    }
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofSeconds(30).toNanos();
    boolean ready = false;
    while (System.nanoTime() < deadline && !(ready = readyz(g) == null)) sleep(250);
    boolean sameProcess = d.guardian(g).isAlive() && d.guardian(g).pid() == pid;
    say("guardian %d metrics: %s", g, storageMetrics(g));
    String line = String.format("full on guardian %d: %s, stayed up %s, ready again %s after freeing space, without restart %s", g,
        seen, alive, ready ? String.format("%.1fs", (System.nanoTime() - t0) / 1e9) : "NOT within 30s", sameProcess);
    if (seen == null || !alive || !ready || !sameProcess) diskPass = false;
    diskResults.add(line);
    say("%s", line);
  }

  private void healReadOnly(int g, String seen) {
    boolean alive = d.guardian(g).isAlive();
    recordServed(g); // served while read-only, still served after the restart on the repaired disk
    d.guardian(g).kill();
    try {
      disks.repair(g);
    } catch (IOException e) {
      diskFailed("guardian %d: repairing its disk failed: %s", g, e.getMessage());
      d.guardian(g).start();
      return;
    }
    d.guardian(g).start();
    String line = String.format("read-only on guardian %d: %s, stayed up %s, SIGKILL + e2fsck + restart", g, seen, alive);
    if (seen == null || !alive) diskPass = false;
    diskResults.add(line);
    say("%s", line);
  }

  private void diskFailed(String fmt, Object... args) {
    diskPass = false;
    String line = String.format(fmt, args);
    diskResults.add(line);
    say("%s", line);
  }

  /** The guardian's vigil_storage_* samples from /metrics, on one line. */
  private String storageMetrics(int g) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.api(g).resolve("/metrics")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body().lines().filter(l -> l.startsWith("vigil_storage_")).reduce((a, b) -> a + ", " + b).orElse("none");
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Null when /readyz answers 200, else its body (or why it could not be read). */
  private String readyz(int g) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.api(g).resolve("/readyz")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? null : r.body();
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** f+1 guardians down: no quorum, so nothing new may be attested; all must recover on restart. */
  private void quorumLossPhase(long len) {
    List<Integer> victims = pick(f + 1);
    for (int g : victims) {
      recordServed(g);
      d.guardian(g).kill();
    }
    long downAt = System.nanoTime();
    fault(FaultKind.QUORUM_LOSS, "SIGKILL f+1 = %d guardians %s for %.1fs (no quorum)", f + 1, victims, len / 1000.0);
    sleep(len);
    // messages published well after the kill cannot have a quorum; a signature in flight at the
    // kill may still complete one for messages published just before it
    long grace = Duration.ofSeconds(3).toNanos();
    List<MessageId> during = d.publishTimes().entrySet().stream().filter(e -> e.getValue() > downAt + grace)
        .map(Map.Entry::getKey).toList();
    int attestedDuring = 0;
    for (MessageId id : during) {
      for (int g = 0; g < o.nodes(); g++) {
        if (victims.contains(g)) continue;
        if (fetch(g, id).isPresent()) {
          attestedDuring++;
          break;
        }
      }
    }
    stallPass = !during.isEmpty() && attestedDuring == 0;
    stallDetail = during.size() + " messages published while " + (f + 1) + " guardians were down, " + attestedDuring
        + " attested before the restart" + (during.isEmpty() ? " (none published: stall not shown)" : "");
    say("quorum loss: %s", stallDetail);
    for (int g : victims) d.guardian(g).start();
    lastFaultEnd = System.nanoTime();
    say("restarted guardians %s", victims);
  }

  // ---- network partitions (every guardian-to-guardian link runs through a LinkProxy) ----

  /** What the partition phases found, for the invariants. */
  private final class Partitions {
    int isolations;
    int isolatedJudged; // isolations that started with the whole committee connected
    long publishedCutOff;
    long attestedCutOff;
    String firstMissed = "";
    boolean splitRan;
    boolean splitPass;
    String splitDetail = "no split phase ran";
    final List<Double> rejoinSecs = new ArrayList<>();
    int notRejoined;

    List<Invariant> invariants(int[] peersAtEnd) {
      List<Invariant> out = new ArrayList<>();
      boolean liveJudged = isolatedJudged > 0 && publishedCutOff > 0;
      out.add(new Invariant("live while cut off", liveJudged ? attestedCutOff == publishedCutOff : isolations == 0 || publishedCutOff == 0,
          isolations == 0 ? "no guardian was cut off (no room in the schedule)"
              : String.format("%d isolations of at most f guardians%s: %d of %d messages published while cut off (and at least %ds before"
                  + " the heal) attested by the connected majority before the heal%s", isolations,
                  isolatedJudged == isolations ? "" : " (" + (isolations - isolatedJudged) + " not judged: the committee was not whole at the cut)",
                  attestedCutOff, publishedCutOff, CUT_OFF_MARGIN_MS / 1000, firstMissed)));
      out.add(new Invariant("stall (split)", splitRan && splitPass, splitDetail));
      int healed = rejoinSecs.size() + notRejoined;
      long wholeAtEnd = Arrays.stream(peersAtEnd).filter(p -> p == o.nodes() - 1).count();
      out.add(new Invariant("rejoin after heal", healed > 0 && notRejoined == 0 && wholeAtEnd == o.nodes(), String.format(
          "%d heals, every guardian saw every peer again within %ds after %d of them (slowest %.1fs); at the end %d of %d guardians"
              + " see all %d peers %s", healed, REJOIN_BOUND_MS / 1000, rejoinSecs.size(),
          rejoinSecs.stream().mapToDouble(Double::doubleValue).max().orElse(0), wholeAtEnd, o.nodes(), o.nodes() - 1,
          Arrays.toString(peersAtEnd))));
      return out;
    }
  }

  /** A message counts as "should have been attested while cut off" if published this long before the heal. */
  private static final long CUT_OFF_MARGIN_MS = 5_000;
  private static final long REJOIN_BOUND_MS = 120_000;

  /** Time a phase takes beyond its length: a partition waits for the committee to be whole before the cut and after the heal. */
  private long overheadMs(FaultKind k, long len) {
    // a restarted first seed's island takes a while to notice and rejoin after the heal
    return switch (k) {
      case PARTITION -> Math.max(0, (longRun() ? RESTART_CUT_MS : ISOLATE_MIN_MS) - len) + (longRun() ? 60_000 : 6_000);
      case DISK -> disks.unavailable() == null ? DISK_REPAIR_MS : 0; // the read-only victim is killed, checked and restarted
      default -> 0;
    };
  }

  /** Time to SIGKILL a guardian whose disk went read-only, e2fsck and remount its file system, and start it again. */
  private static final long DISK_REPAIR_MS = 8_000;

  /** Long enough that messages are published well inside the cut (after the grace, before the margin). */
  private static final long ISOLATE_MIN_MS = 12_000;
  /**
   * A cut-off guardian restarted while cut off stays cut off this long: longer than a restart plus
   * the first seed's wait for other seeds, so that a restarted first seed forms an island (which
   * must then rejoin by itself after the heal).
   */
  private static final long RESTART_CUT_MS = 60_000;

  /** Runs of 5 minutes or more also restart guardians while they are cut off (one isolation in three). */
  private boolean longRun() {
    return o.duration().compareTo(Duration.ofMinutes(5)) >= 0;
  }

  /** Up to f guardians cut off from the rest; the rest keep a quorum, so the committee must stay live. */
  private void isolatePhase(long phaseLen) {
    List<Integer> cut = pick(1 + rnd.nextInt(f));
    LinkProxy.Mode mode = rnd.nextBoolean() ? LinkProxy.Mode.DROP : LinkProxy.Mode.BLACKHOLE;
    boolean restart = longRun() && rnd.nextInt(3) == 0;
    long len = Math.max(restart ? RESTART_CUT_MS : ISOLATE_MIN_MS, phaseLen);
    List<Integer> rest = IntStream.range(0, o.nodes()).filter(g -> !cut.contains(g)).boxed().toList();
    // judged only when nothing else is down: a guardian still rejoining after a restart would make it f+1
    boolean whole = awaitConnected(Duration.ofSeconds(20));
    cutLinks(cut, mode);
    long cutAt = System.nanoTime();
    fault(FaultKind.PARTITION, "partition %s | %s (%s) for %.1fs: %s cut off, the other %d keep a quorum%s", cut, rest, mode,
        len / 1000.0, cut.size() == 1 ? "one guardian" : cut.size() + " guardians", rest.size(),
        restart ? "; the cut-off side is SIGKILLed and restarted while cut off" : "");
    if (restart) {
      for (int g : cut) {
        recordServed(g);
        d.guardian(g).kill();
      }
      for (int g : cut) d.guardian(g).start();
      say("restarted guardians %s while cut off", cut);
    }
    sleep(len);
    say("before the heal: peers seen %s", Arrays.toString(peersSeen()));
    List<MessageId> during = publishedBetween(cutAt + GRACE_NANOS, System.nanoTime() - CUT_OFF_MARGIN_MS * 1_000_000);
    List<MessageId> attested = attestedBy(during, rest);
    partitions.isolations++;
    if (whole) {
      partitions.isolatedJudged++;
      partitions.publishedCutOff += during.size();
      partitions.attestedCutOff += attested.size();
      if (partitions.firstMissed.isEmpty() && attested.size() < during.size()) {
        partitions.firstMissed = " (first missed: " + during.stream().filter(m -> !attested.contains(m)).findFirst().orElseThrow() + ")";
      }
    }
    say("while %s was cut off: %d of %d messages attested by the others%s", cut, attested.size(), during.size(),
        whole ? "" : " (not judged: the committee was not whole when the cut began)");
    heal(String.format("%s | %s", cut, rest));
  }

  /** Two sides of about half the committee each: neither has a quorum, so nothing new may be attested until the heal. */
  private void splitPhase(long len) {
    List<Integer> all = new ArrayList<>(IntStream.range(0, o.nodes()).boxed().toList());
    Collections.shuffle(all, rnd);
    List<Integer> a = all.subList(0, o.nodes() / 2).stream().sorted().toList();
    List<Integer> b = all.subList(o.nodes() / 2, o.nodes()).stream().sorted().toList();
    LinkProxy.Mode mode = rnd.nextBoolean() ? LinkProxy.Mode.DROP : LinkProxy.Mode.BLACKHOLE;
    awaitConnected(Duration.ofSeconds(20));
    cutLinks(a, mode);
    long cutAt = System.nanoTime();
    int quorum = o.nodes() * 2 / 3 + 1;
    fault(FaultKind.PARTITION, "partition %s | %s (%s) for %.1fs: split, no side has a quorum of %d", a, b, mode, len / 1000.0, quorum);
    sleep(len);
    say("before the heal: peers seen %s", Arrays.toString(peersSeen()));
    List<MessageId> during = publishedBetween(cutAt + GRACE_NANOS, Long.MAX_VALUE);
    List<MessageId> attested = attestedBy(during, IntStream.range(0, o.nodes()).boxed().toList());
    partitions.splitRan = true;
    partitions.splitPass = !during.isEmpty() && attested.isEmpty();
    partitions.splitDetail = String.format("%d messages published during the split %s | %s, %d attested before the heal%s", during.size(),
        a, b, attested.size(), during.isEmpty() ? " (none published: stall not shown)" : "");
    say("split: %s", partitions.splitDetail);
    heal(String.format("%s | %s", a, b));
  }

  /** Sets every link between {@code side} and the other guardians, both directions, to {@code mode}. */
  private void cutLinks(List<Integer> side, LinkProxy.Mode mode) {
    for (int x = 0; x < o.nodes(); x++) {
      for (int y = 0; y < o.nodes(); y++) {
        if (x != y && side.contains(x) != side.contains(y)) d.link(x, y).mode(mode);
      }
    }
  }

  /** Every link passes again; then waits (bounded) until every guardian sees every peer, and records how long that took. */
  private void heal(String shape) {
    for (int x = 0; x < o.nodes(); x++) {
      for (int y = 0; y < o.nodes(); y++) {
        if (x != y) d.link(x, y).mode(LinkProxy.Mode.PASS);
      }
    }
    long healedAt = System.nanoTime();
    lastFaultEnd = healedAt;
    say("healed partition %s", shape);
    if (awaitConnected(Duration.ofMillis(REJOIN_BOUND_MS))) {
      double secs = (System.nanoTime() - healedAt) / 1e9;
      partitions.rejoinSecs.add(secs);
      say("after the heal of %s every guardian sees every peer again (%.1fs)", shape, secs);
    } else {
      partitions.notRejoined++;
      say("after the heal of %s not every guardian sees every peer within %ds: %s", shape, REJOIN_BOUND_MS / 1000,
          Arrays.toString(peersSeen()));
    }
  }

  /** Waits until every guardian's consensus sees all n-1 peers (bounded); false on timeout. */
  private boolean awaitConnected(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (Arrays.stream(peersSeen()).allMatch(p -> p == o.nodes() - 1)) return true;
      if (System.nanoTime() >= deadline) return false;
      sleep(500);
    }
  }

  /** How many peers each guardian's consensus currently reaches (its /v1/status peersConnected); -1 if it does not answer. */
  private int[] peersSeen() {
    int[] out = new int[o.nodes()];
    for (int g = 0; g < o.nodes(); g++) {
      out[g] = -1;
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.api(g).resolve("/v1/status")).timeout(Duration.ofSeconds(5)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) out[g] = json.readTree(r.body()).path("counts").path("peersConnected").asInt(-1);
      } catch (IOException | RuntimeException e) {
        // not answering: -1
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return out;
  }

  /** Messages published in (from, to), System.nanoTime. */
  private List<MessageId> publishedBetween(long from, long to) {
    return d.publishTimes().entrySet().stream().filter(e -> e.getValue() > from && e.getValue() < to).map(Map.Entry::getKey).toList();
  }

  /** Those of {@code ids} that at least one of {@code guardians} serves an attestation for. */
  private List<MessageId> attestedBy(List<MessageId> ids, List<Integer> guardians) {
    List<MessageId> out = new ArrayList<>();
    for (MessageId id : ids) {
      for (int g : guardians) {
        if (fetchRaw(g, id).isPresent()) {
          out.add(id);
          break;
        }
      }
    }
    return out;
  }

  /** A signature in flight when a fault begins may still complete a quorum for a message published just before it. */
  private static final long GRACE_NANOS = Duration.ofSeconds(3).toNanos();

  /**
   * Distinct random guardians, the first seed included: every guardian is a seed, so a restarted
   * first seed finds the running cluster, and one that formed an island rejoins by itself.
   */
  private List<Integer> pick(int count) {
    List<Integer> all = new ArrayList<>(IntStream.range(0, o.nodes()).boxed().toList());
    Collections.shuffle(all, rnd);
    return List.copyOf(all.subList(0, count)).stream().sorted().toList();
  }

  private void recordServed(int g) {
    List<MessageId> ids = new ArrayList<>(d.publishedIds());
    Collections.shuffle(ids, sampling);
    Map<MessageId, Digest> served = servedBeforeKill.computeIfAbsent(g, x -> new HashMap<>());
    int n = 0;
    for (MessageId id : ids) {
      if (n >= 20) break;
      Optional<Attestation> a = fetch(g, id);
      if (a.isPresent()) {
        served.put(id, a.get().digest());
        n++;
      }
    }
  }

  private void fault(FaultKind k, String fmt, Object... args) {
    faults.merge(k, 1, Integer::sum);
    String line = String.format(fmt, args);
    faultLog.add(String.format("%5ds %s", elapsedMs() / 1000, line));
    say("FAULT %s", line);
  }

  /** Polls every guardian's API until each holds an attestation for every published message, or the deadline. */
  private boolean awaitHeldByAll(long deadlineNanos) {
    List<MessageId> ids = d.publishedIds();
    Set<String> held = new HashSet<>(); // guardian/message pairs seen: an attestation, once held, stays
    while (true) {
      int missing = 0;
      for (MessageId id : ids) {
        for (int g = 0; g < o.nodes(); g++) {
          String k = g + "/" + id;
          if (held.contains(k)) continue;
          if (fetchRaw(g, id).isPresent()) held.add(k);
          else missing++;
        }
      }
      if (missing == 0) return true;
      if (System.nanoTime() >= deadlineNanos) return false;
      say("%d guardian/message pairs still without an attestation; waiting", missing);
      sleep(3_000);
    }
  }

  // ---- the invariants ----

  private Report check(Duration recovery) {
    say("checking invariants");
    d.awaitReady(Duration.ofMinutes(2));
    List<MessageId> ids = d.publishedIds();
    AttestationVerifier verifier = new AttestationVerifier(CommitteeHistory.of(new Committee(0,
        IntStream.range(0, o.nodes()).mapToObj(DevKeys::address).toList())));
    Map<MessageId, Set<Digest>> digests = new LinkedHashMap<>();
    servedBeforeKill.values().forEach(m -> m.forEach((id, dg) -> digests.computeIfAbsent(id, x -> new HashSet<>()).add(dg)));
    List<String> invalid = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long attestedByAll = 0;
    for (MessageId id : ids) {
      boolean all = true;
      for (int g = 0; g < o.nodes(); g++) {
        Optional<byte[]> raw = fetchRaw(g, id);
        if (raw.isEmpty()) {
          all = false;
          if (missing.size() < 5) missing.add("guardian " + g + " has no attestation for " + id);
          continue;
        }
        Verdict v = verifier.verify(raw.get());
        Optional<Attestation> a = AttestationCodec.decode(raw.get()).toOptional();
        if (v != Verdict.VALID || a.isEmpty() || !a.get().messageId().equals(id)) {
          invalid.add("guardian " + g + ", " + id + ": " + v);
          continue;
        }
        digests.computeIfAbsent(id, x -> new HashSet<>()).add(a.get().digest());
      }
      if (all) attestedByAll++;
    }
    long conflicting = digests.values().stream().filter(s -> s.size() > 1).count();
    // Signatures the peers collected: a member that signed two digests for one message is kept as
    // evidence by whoever received both.
    long evidence = 0;
    List<Integer> unanswered = new ArrayList<>();
    for (int g = 0; g < o.nodes(); g++) {
      long n = evidenceTotal(g);
      if (n < 0) unanswered.add(g);
      else evidence += n;
    }
    List<Invariant> inv = new ArrayList<>();
    inv.add(new Invariant("safety", invalid.isEmpty() && conflicting == 0 && evidence == 0 && unanswered.isEmpty(), String.format(
        "%d messages x %d guardians: %d invalid attestations, %d messages with more than one digest, %d equivocations kept as evidence%s%s",
        ids.size(), o.nodes(), invalid.size(), conflicting, evidence,
        unanswered.isEmpty() ? "" : " (no evidence answer from guardians " + unanswered + ")",
        invalid.isEmpty() ? "" : " (first: " + invalid.getFirst() + ")")));

    long fromA = ids.stream().filter(m -> m.emitterChain() == Devnet.CHAIN_A).count();
    long recvB = d.receiver(1).receivedCount();
    long recvA = d.receiver(0).receivedCount();
    long gaveUp = d.relayer().snapshot().gaveUp();
    boolean live = recovery != null && missing.isEmpty() && recvB == fromA && recvA == ids.size() - fromA && gaveUp == 0
        && !ids.isEmpty();
    inv.add(new Invariant("liveness", live, String.format(
        "within %ds after the last fault: attested by every guardian %d/%d, received on beta %d/%d, on alpha %d/%d, relayer gave up %d%s",
        o.settle().toSeconds(), attestedByAll, ids.size(), recvB, fromA, recvA, ids.size() - fromA, gaveUp,
        missing.isEmpty() ? "" : " (" + missing.getFirst() + ")")));

    int recorded = 0;
    int kept = 0;
    String lost = "";
    for (Map.Entry<Integer, Map<MessageId, Digest>> e : servedBeforeKill.entrySet()) {
      for (Map.Entry<MessageId, Digest> m : e.getValue().entrySet()) {
        recorded++;
        Optional<Attestation> now = fetch(e.getKey(), m.getKey());
        if (now.isPresent() && now.get().digest().equals(m.getValue())) kept++;
        else if (lost.isEmpty()) lost = " (first lost: guardian " + e.getKey() + ", " + m.getKey() + ")";
      }
    }
    inv.add(new Invariant("durability", recorded > 0 && kept == recorded, String.format(
        "%d attestations served before a SIGKILL, %d served with the same digest after restart%s", recorded, kept, lost)));
    inv.add(new Invariant("stall (f+1 down)", stallPass, stallDetail));
    if (diskSkipped != null) {
      inv.add(new Invariant("disk faults", true, "SKIPPED, not injected: " + diskSkipped));
    } else if (!diskResults.isEmpty()) {
      inv.add(new Invariant("disk faults", diskPass, String.join("; ", diskResults)));
    }
    inv.addAll(partitions.invariants(peersSeen()));

    Map<MessageId, Duration> lat = d.attestLatencies();
    List<Duration> sorted = lat.values().stream().sorted().toList();
    Duration p99 = sorted.isEmpty() ? Duration.ZERO : sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
    Duration max = sorted.isEmpty() ? Duration.ZERO : sorted.getLast();
    return new Report(o.seed(), o.nodes(), new EnumMap<>(faults), ids.size(), attestedByAll, d.delivered(), p99, max, recovery,
        List.copyOf(inv), List.copyOf(faultLog));
  }

  /** Equivocation evidence guardian {@code g} keeps, or -1 if it did not answer. */
  private long evidenceTotal(int g) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.api(g).resolve("/v1/evidence?limit=1")).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? json.readTree(r.body()).path("total").asLong(-1) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private Optional<Attestation> fetch(int g, MessageId id) {
    return fetchRaw(g, id).flatMap(raw -> AttestationCodec.decode(raw).toOptional());
  }

  private Optional<byte[]> fetchRaw(int g, MessageId id) {
    URI uri = d.api(g).resolve("/v1/attestations/" + id.emitterChain() + "/" + id.emitterAddress().toHex() + "/"
        + Long.toUnsignedString(id.sequence()));
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return Optional.empty();
      return Optional.of(Hex.decode(json.readTree(r.body()).path("hex").asText()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  // ---- helpers ----

  private long elapsedMs() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void sleepUntil(long ms) {
    long left = ms - elapsedMs();
    if (left > 0) sleep(left);
  }

  private void say(String fmt, Object... args) {
    o.out().printf("[chaos %5ds] %s%n", elapsedMs() / 1000, String.format(fmt, args));
    o.out().flush();
  }

  private static void sleep(long ms) {
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
