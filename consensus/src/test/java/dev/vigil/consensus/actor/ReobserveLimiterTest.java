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
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 10);
    assertThat(limiter.admit(2, tx(1), 0)).isTrue();
    assertThat(limiter.admit(2, tx(1), 4_999)).isFalse();
    assertThat(limiter.admit(3, tx(1), 4_999))
        .as("the same hash on another chain is another transaction")
        .isTrue();
    assertThat(limiter.admit(2, tx(1), 5_000)).isTrue();
    assertThat(limiter.served()).isEqualTo(3);
    assertThat(limiter.throttled()).isZero();
  }

  @Test
  void requestsOverTheRatePerSecondAreThrottledUntilTheNextWindow() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 2);
    assertThat(limiter.admit(2, tx(1), 0)).isTrue();
    assertThat(limiter.admit(2, tx(2), 10)).isTrue();
    assertThat(limiter.admit(2, tx(3), 20)).isFalse();
    assertThat(limiter.throttled()).isEqualTo(1);
    assertThat(limiter.admit(2, tx(3), 1_000)).isTrue();
  }

  @Test
  void anExpiredReReadNoLongerSuppressesARequest() {
    ReobserveLimiter limiter = new ReobserveLimiter(5_000, 10);
    limiter.admit(2, tx(1), 0);
    limiter.expire(5_001);
    assertThat(limiter.admit(2, tx(1), 5_001)).isTrue();
  }
}
