package dev.vigil.consensus.attestation;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable {@link CommitteeSource}: a first committee and the rotations since, each with the
 * time it took effect. {@link #rotate} returns a new history, so a state machine can hold one.
 */
public final class CommitteeHistory implements CommitteeSource {
  private final Map<Long, Committee> committees;
  private final Map<Long, Instant> replacedAt;
  private final long current;

  private CommitteeHistory(
      Map<Long, Committee> committees, Map<Long, Instant> replacedAt, long current) {
    this.committees = committees;
    this.replacedAt = replacedAt;
    this.current = current;
  }

  /** A history that starts at {@code first} (any index: a node may join at guardian set 4). */
  public static CommitteeHistory of(Committee first) {
    Objects.requireNonNull(first, "first");
    return new CommitteeHistory(Map.of(first.index(), first), Map.of(), first.index());
  }

  /** The history after {@code next} replaced the current committee at {@code at}. */
  public CommitteeHistory rotate(Committee next, Instant at) {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(at, "at");
    if (next.index() != current + 1) {
      throw new IllegalArgumentException(
          "the next committee must have index "
              + (current + 1)
              + " (current + 1), got "
              + next.index());
    }
    Map<Long, Committee> c = new TreeMap<>(committees);
    c.put(next.index(), next);
    Map<Long, Instant> r = new TreeMap<>(replacedAt);
    r.put(current, at);
    return new CommitteeHistory(Map.copyOf(c), Map.copyOf(r), next.index());
  }

  public Committee current() {
    return committees.get(current);
  }

  @Override
  public long currentIndex() {
    return current;
  }

  @Override
  public Optional<Committee> committee(long index) {
    return Optional.ofNullable(committees.get(index));
  }

  @Override
  public Optional<Instant> replacedAt(long index) {
    return Optional.ofNullable(replacedAt.get(index));
  }

  @Override
  public String toString() {
    return "CommitteeHistory[current="
        + current
        + ", known="
        + new TreeMap<>(committees).keySet()
        + ", replacedAt="
        + new TreeMap<>(replacedAt)
        + "]";
  }
}
