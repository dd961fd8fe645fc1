package dev.vigil.devnet.chaos;

import dev.vigil.devnet.chaos.Report.Invariant;
import dev.vigil.devnet.chaos.Report.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the fault phases found, for the invariants: written by the injectors, read once the faults
 * are over.
 */
final class Findings {
  /**
   * A message counts as "should have been attested while cut off" if published this long before the
   * heal.
   */
  static final long CUT_OFF_MARGIN_MS = 5_000;

  /**
   * How long the cut stays in force, at most, for the connected majority to attest what was
   * published while up to f guardians were cut off.
   */
  static final long CUT_OFF_ATTEST_BOUND_MS = 60_000;

  static final long REJOIN_BOUND_MS = 120_000;

  private final int nodes;
  Invariant quorumLoss =
      new Invariant("stall (f+1 down)", Outcome.NOT_EXERCISED, "no quorum-loss phase ran");
  Invariant split = new Invariant("stall (split)", Outcome.NOT_EXERCISED, "no split phase ran");

  int isolations;
  int isolatedJudged; // isolations that started with the whole committee connected
  final List<String> isolationsNotExercised = new ArrayList<>();
  long publishedCutOff;
  long attestedCutOff;
  String firstMissed = "";
  final List<Double> rejoinSecs = new ArrayList<>();
  int notRejoined;

  /** One line per disk fault; pass only if every one behaved. */
  final List<String> diskResults = new ArrayList<>();

  boolean diskPass = true;

  Findings(int nodes) {
    this.nodes = nodes;
  }

  /**
   * Messages published in a phase where nothing new may be attested (f+1 down, a split): fails if
   * any was attested, is a harness error if too few were published to show the stall.
   */
  static Invariant stall(String name, PhaseWindow.Messages during, int attested, String what) {
    String detail =
        String.format(
            "%d messages published %s, %d attested before the %s%s%s",
            during.ids().size(),
            what,
            attested,
            name.contains("split") ? "heal" : "restart",
            during.lengthened(),
            during.ids().isEmpty() ? " (none published: stall not shown)" : "");
    if (attested > 0) return new Invariant(name, Outcome.FAIL, detail);
    if (!during.exercised()) {
      return new Invariant(
          name, Outcome.NOT_EXERCISED, detail + "; needs at least " + PhaseWindow.MIN_MESSAGES);
    }
    return new Invariant(name, Outcome.PASS, detail);
  }

  List<Invariant> partitionInvariants(int[] peersAtEnd) {
    List<Invariant> out = new ArrayList<>();
    out.add(liveWhileCutOff());
    out.add(split);
    int healed = rejoinSecs.size() + notRejoined;
    long wholeAtEnd = Arrays.stream(peersAtEnd).filter(p -> p == nodes - 1).count();
    out.add(
        Invariant.of(
            "rejoin after heal",
            healed > 0 && notRejoined == 0 && wholeAtEnd == nodes,
            String.format(
                "%d heals, every guardian saw every peer again within %ds after %d of them (slowest %.1fs); at the end %d of %d guardians"
                    + " see all %d peers %s",
                healed,
                REJOIN_BOUND_MS / 1000,
                rejoinSecs.size(),
                rejoinSecs.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                wholeAtEnd,
                nodes,
                nodes - 1,
                Arrays.toString(peersAtEnd))));
    return out;
  }

  private Invariant liveWhileCutOff() {
    String name = "live while cut off";
    if (isolations == 0)
      return new Invariant(name, Outcome.PASS, "no guardian was cut off (no room in the schedule)");
    String detail =
        String.format(
            "%d isolations of at most f guardians%s: %d of %d messages published while cut off (and at least %ds"
                + " before its planned end) attested by the connected majority before the heal (the cut is kept up"
                + " to %ds longer for them)%s",
            isolations,
            isolatedJudged == isolations
                ? ""
                : " ("
                    + (isolations - isolatedJudged)
                    + " not judged: the committee was not whole at the cut)",
            attestedCutOff,
            publishedCutOff,
            CUT_OFF_MARGIN_MS / 1000,
            CUT_OFF_ATTEST_BOUND_MS / 1000,
            firstMissed);
    if (attestedCutOff < publishedCutOff) return new Invariant(name, Outcome.FAIL, detail);
    if (isolatedJudged == 0)
      return new Invariant(name, Outcome.NOT_EXERCISED, detail + "; no isolation could be judged");
    if (!isolationsNotExercised.isEmpty()) {
      return new Invariant(
          name,
          Outcome.NOT_EXERCISED,
          detail + "; too few messages in " + String.join(", ", isolationsNotExercised));
    }
    return new Invariant(name, Outcome.PASS, detail);
  }
}
