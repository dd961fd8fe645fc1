package dev.vigil.devnet.chaos;

import dev.vigil.testing.net.FaultyRpcProxy;
import dev.vigil.testing.net.LinkProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A chaos scenario's fault schedule, computed before the run from the seed, the committee size, the
 * run's length and whether disk faults can be injected, and from nothing else: the same inputs give
 * the same phases, victims and modes on any machine, however fast. Times are nominal offsets from
 * the start of the schedule; a run on a slow machine starts a phase late but never reorders, skips,
 * shortens or overlaps phases.
 *
 * <p>The first round injects every kind once at the shortest length, the partition (the slowest)
 * first, so a short run still sees every kind; later rounds are shuffled with random lengths. A
 * kind that does not fit in the time left gives its turn to the next one; the rounds end when none
 * fits. Then come a split (no side has a quorum) and, last, f+1 guardians down.
 */
record FaultPlan(
    long seed,
    int nodes,
    Duration duration,
    boolean diskFaults,
    List<Phase> phases,
    List<String> notes) {
  /** Between two phases of the rounds at least this long passes, and at most twice it. */
  static final long MIN_GAP_MS = 3_000;

  /** Between the split's heal and the quorum loss. */
  static final long STALL_GAP_MS = 5_000;

  /**
   * Long enough that messages are published well inside a cut (after the grace, before the margin).
   */
  static final long ISOLATE_MIN_MS = 12_000;

  /**
   * A cut-off guardian restarted while cut off stays cut off this long: longer than a restart plus
   * the first seed's wait for other seeds, so that a restarted first seed forms an island (which
   * must then rejoin by itself after the heal).
   */
  static final long RESTART_CUT_MS = 60_000;

  /**
   * Time to SIGKILL a guardian whose disk went read-only, e2fsck and remount its file system, and
   * start it again.
   */
  static final long DISK_REPAIR_MS = 8_000;

  private static final FaultyRpcProxy.Mode[] RPC_FAULTS = {
    FaultyRpcProxy.Mode.HTTP_500,
    FaultyRpcProxy.Mode.GARBAGE,
    FaultyRpcProxy.Mode.TRUNCATED,
    FaultyRpcProxy.Mode.RPC_ERROR,
    FaultyRpcProxy.Mode.SLOW,
    FaultyRpcProxy.Mode.DROP,
    FaultyRpcProxy.Mode.LAG
  };

  /**
   * One fault, injected at {@code atMs} (or, when the run is late, as soon as the previous phase
   * has ended and {@code gapBeforeMs} more passed) for {@code lengthMs}.
   *
   * @param reserveMs time planned beyond the length: waiting for the committee to be whole before a
   *     cut and after the heal, or repairing a disk
   */
  record Phase(long atMs, long lengthMs, long reserveMs, long gapBeforeMs, Fault fault) {
    long endMs() {
      return atMs + lengthMs + reserveMs;
    }

    FaultKind kind() {
      return fault.kind();
    }
  }

  /** What a phase does, with everything drawn from the seed. */
  sealed interface Fault {
    FaultKind kind();
  }

  /** SIGKILL of up to f guardians, restarted at the end. */
  record Kill(List<Integer> victims) implements Fault {
    public FaultKind kind() {
      return FaultKind.KILL;
    }
  }

  /** SIGSTOP of one guardian, SIGCONT at the end. */
  record Freeze(int guardian) implements Fault {
    public FaultKind kind() {
      return FaultKind.FREEZE;
    }
  }

  /**
   * A flaky JSON-RPC endpoint of one chain (0 alpha, 1 beta) for some guardians, or for all of
   * them.
   */
  record Rpc(int chain, FaultyRpcProxy.Mode mode, List<Integer> guardians) implements Fault {
    public FaultKind kind() {
      return FaultKind.RPC;
    }
  }

  /**
   * One guardian's disk full and another's read-only: at once when {@code together} (f >= 2), else
   * one after the other.
   */
  record Disk(int full, int readOnly, boolean together) implements Fault {
    public FaultKind kind() {
      return FaultKind.DISK;
    }
  }

  /**
   * Up to f guardians cut off from the rest (who keep a quorum); {@code restart}: SIGKILLed and
   * restarted while cut off.
   */
  record Isolate(List<Integer> cut, List<Integer> rest, LinkProxy.Mode mode, boolean restart)
      implements Fault {
    public FaultKind kind() {
      return FaultKind.PARTITION;
    }
  }

  /** The committee split in two halves, neither with a quorum. */
  record Split(List<Integer> sideA, List<Integer> sideB, LinkProxy.Mode mode) implements Fault {
    public FaultKind kind() {
      return FaultKind.PARTITION;
    }
  }

  /** f+1 guardians SIGKILLed: no quorum; restarted at the end. */
  record QuorumLoss(List<Integer> victims) implements Fault {
    public FaultKind kind() {
      return FaultKind.QUORUM_LOSS;
    }
  }

  FaultPlan {
    phases = List.copyOf(phases);
    notes = List.copyOf(notes);
  }

  /** The schedule of a run of {@code duration} on {@code nodes} guardians (at least 4). */
  static FaultPlan of(long seed, int nodes, Duration duration, boolean diskFaults) {
    if (nodes < 4)
      throw new IllegalArgumentException(
          "a fault plan needs at least 4 guardians (f >= 1), got " + nodes);
    return new Planner(seed, nodes, duration, diskFaults).plan();
  }

  int f() {
    return (nodes - 1) / 3;
  }

  /**
   * Runs of 5 minutes or more also restart guardians while they are cut off (one isolation in
   * three).
   */
  boolean longRun() {
    return duration.compareTo(Duration.ofMinutes(5)) >= 0;
  }

  /** How long traffic keeps flowing after the last phase (nominally until {@code duration}). */
  long tailMs() {
    return Math.max(0, duration.toMillis() - phases.getLast().endMs());
  }

  /** Draws everything from one generator, in one order, against nominal time only. */
  private static final class Planner {
    private final long seed;
    private final int nodes;
    private final int f;
    private final Duration duration;
    private final boolean diskFaults;
    private final Random rnd;
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Planner(long seed, int nodes, Duration duration, boolean diskFaults) {
      this.seed = seed;
      this.nodes = nodes;
      this.f = (nodes - 1) / 3;
      this.duration = duration;
      this.diskFaults = diskFaults;
      this.rnd = new Random(seed);
    }

    FaultPlan plan() {
      long total = duration.toMillis();
      long warmup = Math.min(10_000, total / 10);
      long stall = Math.max(8_000, Math.min(30_000, total / 8));
      long tail = Math.max(5_000, total / 12); // traffic keeps flowing after the last restart
      long faultsEnd =
          total
              - stall
              - tail
              - stall
              - STALL_GAP_MS; // the split phase and a gap before the quorum loss
      long phaseMin = Math.max(4_000, Math.min(15_000, total / 20));
      boolean longRun = duration.compareTo(Duration.ofMinutes(5)) >= 0;

      List<FaultKind> cycle =
          new ArrayList<>(
              List.of(
                  FaultKind.KILL,
                  FaultKind.FREEZE,
                  FaultKind.RPC,
                  FaultKind.DISK,
                  FaultKind.PARTITION));
      if (!diskFaults) cycle.remove(FaultKind.DISK);
      Collections.shuffle(cycle, rnd);
      cycle.remove(FaultKind.PARTITION);
      cycle.addFirst(FaultKind.PARTITION);
      long t = warmup;
      long gapBefore = warmup;
      for (int k = 0;
          ;
          k++) { // bounded: every turn moves t on by at least MIN_GAP_MS, and the rounds end at
        // faultsEnd
        if (k > 0 && k % cycle.size() == 0) Collections.shuffle(cycle, rnd);
        boolean firstRound = k < cycle.size();
        long len = firstRound ? phaseMin : phaseMin + rnd.nextLong(phaseMin);
        long gap = MIN_GAP_MS + rnd.nextLong(MIN_GAP_MS);
        FaultKind kind = null;
        int turn = k % cycle.size();
        for (int i = 0; i < cycle.size() - turn && kind == null; i++) {
          FaultKind c = cycle.get(turn + i);
          if (t + len + gap + reserve(c, len, longRun) <= faultsEnd) {
            kind = c;
            Collections.swap(cycle, turn, turn + i);
          } else {
            notes.add(
                String.format(
                    "no time left for a %s phase of %.1fs at %.1fs", c, len / 1000.0, t / 1000.0));
          }
        }
        if (kind == null) break;
        Phase p = phase(kind, t, len, gapBefore, longRun);
        phases.add(p);
        t = p.endMs() + gap;
        gapBefore = gap;
      }
      Phase split = new Phase(Math.max(t, faultsEnd), stall, 0, MIN_GAP_MS, split());
      phases.add(split);
      phases.add(
          new Phase(
              split.endMs() + STALL_GAP_MS, stall, 0, STALL_GAP_MS, new QuorumLoss(pick(f + 1))));
      return new FaultPlan(seed, nodes, duration, diskFaults, phases, notes);
    }

    private Phase phase(FaultKind kind, long at, long len, long gapBefore, boolean longRun) {
      return switch (kind) {
        case KILL -> new Phase(at, len, 0, gapBefore, new Kill(pick(1 + rnd.nextInt(f))));
        case FREEZE -> new Phase(at, len, 0, gapBefore, new Freeze(pick(1).getFirst()));
        case RPC -> {
          int chain = rnd.nextInt(2);
          FaultyRpcProxy.Mode mode = RPC_FAULTS[rnd.nextInt(RPC_FAULTS.length)];
          // the endpoint of some guardians, or of all of them (the chain's provider is down for
          // everyone)
          List<Integer> targets =
              rnd.nextBoolean()
                  ? IntStream.range(0, nodes).boxed().toList()
                  : pick(1 + rnd.nextInt(f));
          yield new Phase(at, len, 0, gapBefore, new Rpc(chain, mode, targets));
        }
        case DISK -> {
          List<Integer> two = pick(2);
          yield new Phase(
              at, len, DISK_REPAIR_MS, gapBefore, new Disk(two.get(0), two.get(1), f >= 2));
        }
        case PARTITION -> {
          List<Integer> cut = pick(1 + rnd.nextInt(f));
          LinkProxy.Mode mode = rnd.nextBoolean() ? LinkProxy.Mode.DROP : LinkProxy.Mode.BLACKHOLE;
          boolean restart = longRun && rnd.nextInt(3) == 0;
          long cutLen = Math.max(restart ? RESTART_CUT_MS : ISOLATE_MIN_MS, len);
          List<Integer> rest =
              IntStream.range(0, nodes).filter(g -> !cut.contains(g)).boxed().toList();
          yield new Phase(
              at,
              cutLen,
              reserve(kind, len, longRun) - (cutLen - len),
              gapBefore,
              new Isolate(cut, rest, mode, restart));
        }
        default -> throw new IllegalArgumentException("not a kind of the rounds: " + kind);
      };
    }

    /**
     * Time a phase of {@code len} takes beyond it. A partition may be lengthened (to the
     * isolation's minimum, or, when it may restart its victims, to {@link #RESTART_CUT_MS}), waits
     * for the committee to be whole before the cut, and for every guardian to see every peer after
     * the heal (a restarted first seed's island takes a while to notice and rejoin). A disk phase
     * repairs the read-only victim.
     */
    private static long reserve(FaultKind k, long len, boolean longRun) {
      return switch (k) {
        case PARTITION ->
            Math.max(0, (longRun ? RESTART_CUT_MS : ISOLATE_MIN_MS) - len)
                + (longRun ? 60_000 : 6_000);
        case DISK -> DISK_REPAIR_MS;
        default -> 0;
      };
    }

    private Split split() {
      List<Integer> all = new ArrayList<>(IntStream.range(0, nodes).boxed().toList());
      Collections.shuffle(all, rnd);
      List<Integer> a = all.subList(0, nodes / 2).stream().sorted().toList();
      List<Integer> b = all.subList(nodes / 2, nodes).stream().sorted().toList();
      return new Split(a, b, rnd.nextBoolean() ? LinkProxy.Mode.DROP : LinkProxy.Mode.BLACKHOLE);
    }

    /**
     * Distinct random guardians, the first seed included: every guardian is a seed, so a restarted
     * first seed finds the running cluster, and one that formed an island rejoins by itself.
     */
    private List<Integer> pick(int count) {
      List<Integer> all = new ArrayList<>(IntStream.range(0, nodes).boxed().toList());
      Collections.shuffle(all, rnd);
      return all.subList(0, count).stream().sorted().toList();
    }
  }
}
