package dev.vigil.consensus.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Each signer index's budget of signatures that turn out invalid: a token bucket of {@code burst}
 * refilled at {@code perSecond}. The charge that empties it makes the signer suspect; it stays
 * suspect until the bucket is full again. An episode counts the invalid signatures that led to it
 * and the signatures dropped unchecked during it. Time is an argument.
 */
final class InvalidSignatureBudget {
  private final double burst;
  private final double perSecond;
  private final double[] budget;
  private final long[] budgetAtMillis;
  private final boolean[] suspect;
  private final long[] episodeInvalid;
  private final long[] episodeDropped;
  private final long[] droppedBySigner;

  InvalidSignatureBudget(int n, double burst, double perSecond) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.budget = new double[n];
    Arrays.fill(budget, burst);
    this.budgetAtMillis = new long[n];
    Arrays.fill(budgetAtMillis, Long.MIN_VALUE);
    this.suspect = new boolean[n];
    this.episodeInvalid = new long[n];
    this.episodeDropped = new long[n];
    this.droppedBySigner = new long[n];
  }

  boolean isSuspect(int signer) {
    return suspect[signer];
  }

  /**
   * One more invalid signature to the signer's budget; returns the decision that marks it suspect
   * when this charge emptied the budget, null otherwise.
   */
  Decision.Suspected charge(int signer, long nowMillis) {
    refill(signer, nowMillis);
    budget[signer] = Math.max(0, budget[signer] - 1);
    episodeInvalid[signer]++;
    if (!suspect[signer] && budget[signer] < 1) {
      suspect[signer] = true;
      return new Decision.Suspected(signer, episodeInvalid[signer]);
    }
    return null;
  }

  /** A signature of a suspect signer was dropped unchecked. */
  void droppedUnchecked(int signer) {
    droppedBySigner[signer]++;
    episodeDropped[signer]++;
  }

  /** Suspects whose budget is full again are cleared, each with what was dropped meanwhile. */
  List<Decision> clearRefilled(long nowMillis) {
    List<Decision> out = new ArrayList<>(0);
    for (int i = 0; i < suspect.length; i++) {
      if (!suspect[i]) continue;
      refill(i, nowMillis);
      if (budget[i] >= burst - 1e-9) {
        suspect[i] = false;
        out.add(new Decision.Cleared(i, episodeDropped[i]));
        episodeDropped[i] = 0;
        episodeInvalid[i] = 0;
      }
    }
    return out;
  }

  private void refill(int signer, long nowMillis) {
    long at = budgetAtMillis[signer];
    budgetAtMillis[signer] = nowMillis;
    if (at == Long.MIN_VALUE || nowMillis <= at) return;
    budget[signer] = Math.min(burst, budget[signer] + (nowMillis - at) * perSecond / 1000.0);
    if (budget[signer] >= burst - 1e-9 && !suspect[signer])
      episodeInvalid[signer] = 0; // a new episode counts from here
  }

  List<Long> droppedBySigner() {
    return Arrays.stream(droppedBySigner).boxed().toList();
  }

  List<Integer> suspects() {
    return IntStream.range(0, suspect.length).filter(i -> suspect[i]).boxed().toList();
  }
}
