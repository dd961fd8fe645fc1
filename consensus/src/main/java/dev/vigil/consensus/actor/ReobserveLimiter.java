package dev.vigil.consensus.actor;

import dev.vigil.signing.Bytes32;
import java.util.HashMap;
import java.util.Map;

/**
 * How often peers' observation requests make this guardian re-read a transaction from its chain:
 * one transaction at most once per {@code resendIntervalMillis}, and at most {@code maxPerSecond}
 * re-reads in any one-second window. Time is an argument.
 */
final class ReobserveLimiter {
  private final long resendIntervalMillis;
  private final int maxPerSecond;
  private final Map<RequestKey, Long> served = new HashMap<>();
  private long windowStart;
  private int inWindow;
  private long throttled;
  private long servedCount;

  private record RequestKey(int chain, Bytes32 txHash) {}

  ReobserveLimiter(long resendIntervalMillis, int maxPerSecond) {
    this.resendIntervalMillis = resendIntervalMillis;
    this.maxPerSecond = maxPerSecond;
  }

  /**
   * Whether to re-read now. A transaction re-read lately is refused silently (its answer is on its
   * way); a request over the per-second rate is refused and counted as throttled.
   */
  boolean admit(int chain, Bytes32 txHash, long nowMillis) {
    RequestKey key = new RequestKey(chain, txHash);
    Long last = served.get(key);
    if (last != null && nowMillis - last < resendIntervalMillis) return false;
    if (nowMillis - windowStart >= 1000) {
      windowStart = nowMillis;
      inWindow = 0;
    }
    if (inWindow >= maxPerSecond) {
      throttled++;
      return false;
    }
    inWindow++;
    served.put(key, nowMillis);
    servedCount++;
    return true;
  }

  /** Forgets re-reads older than the interval (they no longer suppress a request). */
  void expire(long nowMillis) {
    served.values().removeIf(t -> nowMillis - t > resendIntervalMillis);
  }

  long served() {
    return servedCount;
  }

  long throttled() {
    return throttled;
  }
}
