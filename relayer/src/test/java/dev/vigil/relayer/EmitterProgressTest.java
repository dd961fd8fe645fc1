package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a resumed stream starts: the first sequence not yet received. */
class EmitterProgressTest {
  @Test
  void inOrderMovesTheResumePoint() {
    EmitterProgress p = new EmitterProgress(0, 100);
    for (long s = 0; s < 5; s++) p.received(s);
    assertThat(p.next()).isEqualTo(5);
    assertThat(p.ahead()).isZero();
  }

  @Test
  void aGapHoldsTheResumePointUntilItIsFilled() {
    EmitterProgress p = new EmitterProgress(0, 100);
    p.received(0);
    p.received(2);
    p.received(3);
    assertThat(p.next()).isEqualTo(1); // 1 may still be attested: a resumed stream must bring it
    assertThat(p.ahead()).isEqualTo(2);
    p.received(1);
    assertThat(p.next()).isEqualTo(4);
    assertThat(p.ahead()).isZero();
  }

  @Test
  void repeatsAndOldSequencesChangeNothing() {
    EmitterProgress p = new EmitterProgress(10, 100);
    p.received(3);
    p.received(10);
    p.received(10);
    assertThat(p.next()).isEqualTo(11);
    assertThat(p.ahead()).isZero();
  }

  @Test
  void aGapOlderThanTheWindowIsGivenUp() {
    EmitterProgress p = new EmitterProgress(0, 10);
    for (long s = 1; s <= 9; s++) p.received(s); // 0 never comes
    assertThat(p.next()).isEqualTo(0);
    p.received(10);
    assertThat(p.next()).as("0 is 10 behind the highest: no longer replayed").isEqualTo(11);
    assertThat(p.ahead()).isZero();
    p.received(13);
    p.received(30);
    assertThat(p.next()).isEqualTo(21);
    assertThat(p.ahead()).isEqualTo(1); // only 30 is remembered
  }
}
