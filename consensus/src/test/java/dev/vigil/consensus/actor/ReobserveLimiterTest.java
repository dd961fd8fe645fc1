package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Bytes32;
import org.junit.jupiter.api.Test;

/**
 * Peers' requests to re-read a transaction: once per interval per transaction, and a few per
 * second.
 */
class ReobserveLimiterTest {
  static Bytes32 tx(int i) {
    byte[] b = new byte[32];
    b[31] = (byte) i;
    return Bytes32.wrap(b);
  }

  @Test
  void oneTransactionIsReReadOncePerIntervalAndTheRepeatIsNotCountedAsThrottled() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 10, 10, 4);
    assertThat(limiter.admit(1, 2, tx(1), 0)).isTrue();
    assertThat(limiter.admit(1, 2, tx(1), 4_999)).isFalse();
    assertThat(limiter.admit(1, 3, tx(1), 4_999))
        .as("the same hash on another chain is another transaction")
        .isTrue();
    assertThat(limiter.admit(1, 2, tx(1), 5_000)).isTrue();
    assertThat(limiter.served()).isEqualTo(3);
    assertThat(limiter.throttled()).isZero();
  }

  @Test
  void requestsOverTheRatePerSecondAreThrottledUntilTheNextWindow() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 2, 2, 4);
    assertThat(limiter.admit(1, 2, tx(1), 0)).isTrue();
    assertThat(limiter.admit(1, 2, tx(2), 10)).isTrue();
    assertThat(limiter.admit(1, 2, tx(3), 20)).isFalse();
    assertThat(limiter.throttled()).isEqualTo(1);
    assertThat(limiter.admit(1, 2, tx(3), 1_000)).isTrue();
  }

  @Test
  void anExpiredReReadNoLongerSuppressesARequest() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 10, 10, 4);
    limiter.admit(1, 2, tx(1), 0);
    limiter.expire(5_001);
    assertThat(limiter.admit(1, 2, tx(1), 5_001)).isTrue();
  }

  @Test
  void oneMemberCannotTakeEveryReRead() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 10, 3, 4);
    for (int i = 0; i < 3; i++) assertThat(limiter.admit(1, 2, tx(i), 0)).isTrue();
    assertThat(limiter.admit(1, 2, tx(3), 1)).as("member 1's fourth in one second").isFalse();
    assertThat(limiter.admit(2, 2, tx(3), 1)).as("member 2 is served all the same").isTrue();
    assertThat(limiter.throttled()).isEqualTo(1);
    assertThat(limiter.admit(1, 2, tx(4), 1_000)).as("member 1 again in the next second").isTrue();
  }

  @Test
  void signatureChecksAreBoundedPerSecond() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 2, 2, 4);
    for (int i = 0; i < 8; i++) assertThat(limiter.mayVerify(0)).isTrue();
    assertThat(limiter.mayVerify(1)).isFalse();
    assertThat(limiter.throttled()).isEqualTo(1);
    assertThat(limiter.mayVerify(1_000)).isTrue();
  }
}
