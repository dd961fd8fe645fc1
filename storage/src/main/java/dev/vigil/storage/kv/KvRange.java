package dev.vigil.storage.kv;

import java.util.Arrays;

/**
 * Which keys an iteration visits, in byte order: those at or after {@code lower}, before {@code
 * upper}, and starting with {@code prefix}; a null bound does not restrict.
 */
public record KvRange(byte[] lower, byte[] upper, byte[] prefix) {
  private static final KvRange ALL = new KvRange(null, null, null);

  public KvRange {
    lower = lower == null ? null : lower.clone();
    upper = upper == null ? null : upper.clone();
    prefix = prefix == null ? null : prefix.clone();
  }

  public static KvRange all() {
    return ALL;
  }

  public static KvRange prefix(byte[] prefix) {
    return new KvRange(null, null, prefix);
  }

  /** Keys in [lowerInclusive, upperExclusive). */
  public static KvRange between(byte[] lowerInclusive, byte[] upperExclusive) {
    return new KvRange(lowerInclusive, upperExclusive, null);
  }

  public static KvRange from(byte[] lowerInclusive) {
    return new KvRange(lowerInclusive, null, null);
  }

  /** The same range, also starting at {@code lowerInclusive}. */
  public KvRange startingAt(byte[] lowerInclusive) {
    return new KvRange(lowerInclusive, upper, prefix);
  }

  /** Where a seek starts: the larger of lower and prefix, or null for the first key. */
  byte[] seekTarget() {
    if (lower == null) return prefix;
    if (prefix == null) return lower;
    return Arrays.compareUnsigned(lower, prefix) >= 0 ? lower : prefix;
  }

  /** True while {@code key} (reached in ascending order from the seek target) is still in range. */
  boolean stillIn(byte[] key) {
    if (upper != null && Arrays.compareUnsigned(key, upper) >= 0) return false;
    return prefix == null
        || key.length >= prefix.length
            && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvRange r
        && Arrays.equals(lower, r.lower)
        && Arrays.equals(upper, r.upper)
        && Arrays.equals(prefix, r.prefix);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(lower) + Arrays.hashCode(upper)) + Arrays.hashCode(prefix);
  }

  @Override
  public String toString() {
    return "KvRange[lower="
        + hex(lower)
        + ", upper="
        + hex(upper)
        + ", prefix="
        + hex(prefix)
        + "]";
  }

  private static String hex(byte[] b) {
    return b == null ? "-" : java.util.HexFormat.of().formatHex(b);
  }
}
