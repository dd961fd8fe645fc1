package dev.vigil.devnet.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a chaos scenario did and found, and its summary table.
 *
 * <p>An invariant either held, failed, or was not exercised: the harness could not make the run
 * show what the invariant is about (e.g. no message was published while f+1 guardians were down).
 * The last is the harness's failure, not the product's, and is reported as such.
 */
public record Report(
    long seed,
    int nodes,
    Map<FaultKind, Integer> faults,
    long published,
    long attested,
    long delivered,
    Duration attestP99,
    Duration attestMax,
    Duration recovery,
    List<Invariant> invariants,
    List<String> faultLog) {

  /** How an invariant came out. */
  public enum Outcome {
    PASS("PASS"),
    FAIL("FAIL"),
    /** The run did not exercise it: a harness error, not an invariant failure. */
    NOT_EXERCISED("NOT EXERCISED (harness error)");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  /** One verdict line of the summary. */
  public record Invariant(String name, Outcome outcome, String detail) {
    static Invariant of(String name, boolean pass, String detail) {
      return new Invariant(name, pass ? Outcome.PASS : Outcome.FAIL, detail);
    }

    public boolean pass() {
      return outcome == Outcome.PASS;
    }
  }

  public Report {
    faults = Map.copyOf(faults);
    invariants = List.copyOf(invariants);
    faultLog = List.copyOf(faultLog);
  }

  /** Every invariant held, and every one was exercised. */
  public boolean allPass() {
    return invariants.stream().allMatch(Invariant::pass);
  }

  /**
   * An invariant was seen to fail: the product's fault (or the harness's, but never merely
   * unexercised).
   */
  public boolean anyFailed() {
    return invariants.stream().anyMatch(i -> i.outcome() == Outcome.FAIL);
  }

  /** The invariants the run could not exercise. */
  public List<Invariant> notExercised() {
    return invariants.stream().filter(i -> i.outcome() == Outcome.NOT_EXERCISED).toList();
  }

  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "== chaos scenario: seed %d, %d guardians (f = %d) ==%n",
            seed, nodes, (nodes - 1) / 3));
    String injected =
        faults.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey().name().toLowerCase() + " " + e.getValue())
            .reduce((x, y) -> x + ", " + y)
            .orElse("none");
    row(b, "faults injected", injected);
    row(b, "messages published", String.valueOf(published));
    row(b, "attested (all guardians)", String.valueOf(attested));
    row(b, "delivered", String.valueOf(delivered));
    row(b, "time to attest p99 / max", secs(attestP99) + " / " + secs(attestMax));
    row(b, "recovery after last fault", recovery == null ? "did not recover" : secs(recovery));
    for (Invariant i : invariants)
      row(b, "invariant " + i.name(), i.outcome().label + "  " + i.detail());
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append(String.format("  %-28s %s%n", k, v));
  }

  private static String secs(Duration d) {
    return String.format("%.2fs", d.toMillis() / 1000.0);
  }
}
