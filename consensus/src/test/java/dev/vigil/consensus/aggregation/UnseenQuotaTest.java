package dev.vigil.consensus.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-signer quota of messages not observed here, in messages and in body bytes. */
class UnseenQuotaTest {
  // at most 2 messages and 1000 body bytes per signer
  private final UnseenQuota quota = new UnseenQuota(3, 2, 1000);

  @Test
  void aSignerHoldsAtMostMaxMessagesAndOthersAreNotAffected() {
    UnseenQuota.Slots a = new UnseenQuota.Slots(3),
        b = new UnseenQuota.Slots(3),
        c = new UnseenQuota.Slots(3);
    quota.reserve(a, 1, 10);
    quota.reserve(b, 1, 10);
    assertThat(quota.admits(c, 1, 10)).isFalse();
    assertThat(quota.admits(c, 2, 10)).isTrue();
    assertThat(quota.admits(a, 1, 10)).as("a message it holds already costs nothing more").isTrue();
  }

  @Test
  void bodyBytesCountAgainstTheQuotaToo() {
    UnseenQuota.Slots a = new UnseenQuota.Slots(3);
    quota.reserve(a, 0, 900);
    assertThat(quota.hasRoom(0, 100)).isTrue();
    assertThat(quota.hasRoom(0, 101)).isFalse();
  }

  @Test
  void aSlotIsCountedOnceAndGivenBackWhenReleased() {
    UnseenQuota.Slots a = new UnseenQuota.Slots(3), b = new UnseenQuota.Slots(3);
    quota.reserve(a, 1, 300);
    quota.reserve(a, 1, 300);
    quota.reserve(b, 1, 200);
    assertThat(quota.messagesBySigner()).isEqualTo(List.of(0L, 2L, 0L));
    assertThat(quota.bytesBySigner()).isEqualTo(List.of(0L, 500L, 0L));
    quota.release(a, 1);
    quota.release(a, 1);
    assertThat(quota.messagesBySigner()).isEqualTo(List.of(0L, 1L, 0L));
    assertThat(quota.bytesBySigner()).isEqualTo(List.of(0L, 200L, 0L));
    assertThat(quota.peakBySigner()).as("the peak stays").isEqualTo(List.of(0L, 2L, 0L));
  }

  @Test
  void aMessageThatIsObservedGivesBackEverySignersSlot() {
    UnseenQuota.Slots a = new UnseenQuota.Slots(3);
    quota.reserve(a, 0, 100);
    quota.reserve(a, 2, 100);
    quota.releaseAll(a);
    assertThat(quota.messagesBySigner()).isEqualTo(List.of(0L, 0L, 0L));
    assertThat(quota.bytesBySigner()).isEqualTo(List.of(0L, 0L, 0L));
    assertThat(a.holds(0)).isFalse();
  }

  @Test
  void dropsAreCountedInTotalAndPerSigner() {
    quota.dropped(2);
    quota.dropped(2);
    assertThat(quota.dropped()).isEqualTo(2);
    assertThat(quota.droppedBySigner()).isEqualTo(List.of(0L, 0L, 2L));
  }
}
