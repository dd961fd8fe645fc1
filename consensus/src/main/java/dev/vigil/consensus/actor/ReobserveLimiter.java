package dev.vigil.consensus.actor;

import dev.vigil.signing.Bytes32;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How often peers' observation requests make this guardian re-read a transaction from its chain:
 * one transaction at most once per {@code resendIntervalMillis}; at most {@code perRequester}
 * re-reads a second for any one member (the one whose signature the request carries), so one member
 * cannot take every re-read; and at most {@code maxPerSecond} in all. Signatures are checked at
 * most {@code 4 * maxPerSecond} times a second. Time is an argument.
 */
final class ReobserveLimiter {
  private final long resendIntervalMillis;
  private final int maxPerSecond;
  private final int perRequester;
  private final Map<RequestKey, Long> served = new HashMap<>();
  private final int[] byRequester;
  private long windowStart;
  private int inWindow;
  private int verifiedInWindow;
  private long throttled;
  private long servedCount;
  private long refused;

  private record RequestKey(int chain, Bytes32 txHash) {}

  ReobserveLimiter(
      long resendIntervalMillis, int maxPerSecond, int perRequester, int committeeSize) {
    this.resendIntervalMillis = resendIntervalMillis;
    this.maxPerSecond = maxPerSecond;
    this.perRequester = perRequester;
    this.byRequester = new int[committeeSize];
  }

  private void roll(long nowMillis) {
    if (nowMillis - windowStart >= 1000) {
      windowStart = nowMillis;
      inWindow = 0;
      verifiedInWindow = 0;
      Arrays.fill(byRequester, 0);
    }
  }

  /** Whether a request's signature may be checked now; counted as throttled when not. */
  boolean mayVerify(long nowMillis) {
    roll(nowMillis);
    if (verifiedInWindow >= 4 * maxPerSecond) {
      throttled++;
      return false;
    }
    verifiedInWindow++;
    return true;
  }

  /** A request refused outright: unsigned, signed by another than the member it names, or stale. */
  void refused() {
    refused++;
  }

  /**
   * Whether to re-read now for {@code requester} (whose signature was checked). A transaction
   * re-read lately is refused silently (its answer is on its way); a request over the requester's
   * or the overall rate is refused and counted as throttled.
   */
  boolean admit(int requester, int chain, Bytes32 txHash, long nowMillis) {
    RequestKey key = new RequestKey(chain, txHash);
    Long last = served.get(key);
    if (last != null && nowMillis - last < resendIntervalMillis) return false;
    roll(nowMillis);
    if (inWindow >= maxPerSecond || byRequester[requester] >= perRequester) {
      throttled++;
      return false;
    }
    inWindow++;
    byRequester[requester]++;
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

  long refusedCount() {
    return refused;
  }
}
