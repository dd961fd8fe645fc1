package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The invalid-signature budget: a token bucket per signer index, with time as an argument. */
class InvalidSignatureBudgetTest {
  // 3 invalid signatures in a burst, one more allowed per second
  private final InvalidSignatureBudget budget = new InvalidSignatureBudget(4, 3, 1);

  @Test
  void theChargeThatEmptiesTheBudgetMakesTheSignerSuspectOnceNamingHowManyItTook() {
    assertThat(budget.charge(2, 0)).isNull();
    assertThat(budget.charge(2, 0)).isNull();
    assertThat(budget.charge(2, 0)).isEqualTo(new Decision.Suspected(2, 3));
    assertThat(budget.isSuspect(2)).isTrue();
    assertThat(budget.charge(2, 0)).as("already suspect: no second decision").isNull();
    assertThat(budget.suspects()).containsExactly(2);
    assertThat(budget.isSuspect(1)).as("other signers keep their own budget").isFalse();
  }

  @Test
  void invalidSignaturesSpreadBelowTheRefillRateNeverMakeASignerSuspect() {
    for (long t = 0; t < 100_000; t += 1_000) assertThat(budget.charge(1, t)).isNull();
    assertThat(budget.isSuspect(1)).isFalse();
  }

  @Test
  void aSuspectIsClearedOnlyOnceItsBudgetIsFullAgainWithWhatWasDroppedMeanwhile() {
    for (int i = 0; i < 3; i++) budget.charge(0, 10_000);
    budget.droppedUnchecked(0);
    budget.droppedUnchecked(0);
    assertThat(budget.clearRefilled(12_000)).as("two of three tokens back").isEmpty();
    assertThat(budget.isSuspect(0)).isTrue();
    assertThat(budget.clearRefilled(13_000)).containsExactly(new Decision.Cleared(0, 2));
    assertThat(budget.isSuspect(0)).isFalse();
    assertThat(budget.droppedBySigner()).isEqualTo(List.of(2L, 0L, 0L, 0L));
  }

  @Test
  void aNewEpisodeCountsOnlyTheInvalidSignaturesSinceTheBudgetWasLastFull() {
    budget.charge(3, 0);
    budget.charge(3, 0);
    // refilled to full by t = 2 s: the two earlier ones are forgiven
    assertThat(budget.charge(3, 5_000)).isNull();
    assertThat(budget.charge(3, 5_000)).isNull();
    assertThat(budget.charge(3, 5_000)).isEqualTo(new Decision.Suspected(3, 3));
  }
}
