package dev.vigil.consensus.aggregation;

import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import dev.vigil.signing.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Each guardian's participation as this node saw it, keyed by address (signer indices change when
 * the committee rotates; an address does not): for every attestation formed or adopted here, which
 * members' signatures had reached this node before it formed ({@code signed}), which came after
 * ({@code late}) and which did not come at all ({@code missed}); and the conflicting digests each
 * member signed ({@code equivocations}) and its last heartbeat.
 *
 * <p>A message's missing signatures count as missed only once the message is older than the grace
 * period: a signature still in flight is not called missed. A signature that arrives after the
 * grace period is not counted (the member stays missed for that message). Signed and late count at
 * once, in the minute the attestation formed, so for the last {@code grace} the ratio leans high.
 *
 * <p>Counts are kept in minute buckets for the last 24 hours ({@link Window}), plus totals since
 * start: memory is O(members x 1440) for the buckets, plus one entry per message formed within the
 * grace period (at most {@link #MAX_IN_GRACE}; beyond that the oldest are settled early). Members
 * come from the committees this node ran with, never from what peers claim.
 *
 * <p>Pure and single-threaded (the consensus actor's): time comes in as {@code nowMillis}.
 */
public final class Participation {
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  /** Messages held in their grace period at most; further ones settle the oldest early. */
  static final int MAX_IN_GRACE = 100_000;

  static final int MINUTES = 1440;
  private static final int SIGNED = 0, LATE = 1, MISSED = 2, EQUIVOCATIONS = 3, KINDS = 4;

  /** The windows counts are reported for. */
  public enum Window {
    TEN_MINUTES("10m", 10),
    HOUR("1h", 60),
    DAY("24h", MINUTES),
    /** Since this node started. */
    TOTAL("total", 0);

    private final String label;
    private final int minutes;

    Window(String label, int minutes) {
      this.label = label;
      this.minutes = minutes;
    }

    /** How the API names it: {@code 10m}, {@code 1h}, {@code 24h}, {@code total}. */
    public String label() {
      return label;
    }

    /** The minute buckets it spans (the current one included); 0 for {@link #TOTAL}. */
    public int minutes() {
      return minutes;
    }
  }

  /** One member's counts over one window. */
  public record Counts(long signed, long late, long missed, long equivocations) {
    static final Counts ZERO = new Counts(0, 0, 0, 0);

    /**
     * (signed + late) / (signed + late + missed); empty while no attested message counts for the
     * member in the window.
     */
    public OptionalDouble participation() {
      long all = signed + late + missed;
      return all == 0 ? OptionalDouble.empty() : OptionalDouble.of((signed + late) / (double) all);
    }
  }

  /** A member's last valid heartbeat: the name it gives and the time it sent it. */
  public record Heartbeat(String nodeName, long atMillis) {
    public Heartbeat {
      Objects.requireNonNull(nodeName, "nodeName");
    }
  }

  /**
   * One guardian's record. {@code index} is its signer index in the current committee, empty when
   * it is not a member of it (any more).
   */
  public record Member(
      Address address,
      Optional<Integer> index,
      Optional<Heartbeat> lastHeartbeat,
      Map<Window, Counts> windows) {
    public Member {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
      windows = Map.copyOf(windows);
    }

    public boolean member() {
      return index.isPresent();
    }

    public Counts counts(Window w) {
      return windows.getOrDefault(w, Counts.ZERO);
    }
  }

  /**
   * What the tracker holds at {@code atMillis}: every member of the current committee in index
   * order (also those never heard from), then former members by address.
   *
   * @param inGrace attested messages younger than the grace period, whose missing signatures are
   *     not counted yet
   */
  public record Report(
      Committee committee, long atMillis, Duration grace, int inGrace, List<Member> members) {
    public Report {
      Objects.requireNonNull(committee, "committee");
      Objects.requireNonNull(grace, "grace");
      members = List.copyOf(members);
    }

    public Optional<Member> member(Address address) {
      return members.stream().filter(m -> m.address().equals(address)).findFirst();
    }
  }

  /** A member's minute buckets and totals. */
  private static final class Record {
    final long[] minute = new long[MINUTES]; // which minute each slot holds now
    final long[] counts = new long[MINUTES * KINDS];
    final long[] totals = new long[KINDS];
    Heartbeat heartbeat;

    Record() {
      Arrays.fill(minute, Long.MIN_VALUE);
    }

    void add(int kind, long atMinute) {
      totals[kind]++;
      int slot = (int) Math.floorMod(atMinute, (long) MINUTES);
      if (minute[slot] != atMinute) {
        if (minute[slot] > atMinute) return; // older than the day the buckets hold: totals only
        minute[slot] = atMinute;
        Arrays.fill(counts, slot * KINDS, slot * KINDS + KINDS, 0);
      }
      counts[slot * KINDS + kind]++;
    }

    Counts window(Window w, long nowMinute) {
      if (w == Window.TOTAL)
        return new Counts(totals[SIGNED], totals[LATE], totals[MISSED], totals[EQUIVOCATIONS]);
      long[] sum = new long[KINDS];
      for (int slot = 0; slot < MINUTES; slot++) {
        long m = minute[slot];
        if (m > nowMinute - w.minutes() && m <= nowMinute)
          for (int k = 0; k < KINDS; k++) sum[k] += counts[slot * KINDS + k];
      }
      return new Counts(sum[SIGNED], sum[LATE], sum[MISSED], sum[EQUIVOCATIONS]);
    }
  }

  /** An attested message in its grace period: whose signatures are in so far. */
  private record InGrace(Committee committee, BitSet signed, BitSet late, long formedMillis) {}

  private final long graceMillis;
  private final Map<Address, Record> records = new HashMap<>();
  private final LinkedHashMap<MessageId, InGrace> inGrace =
      new LinkedHashMap<>(); // formation order

  public Participation(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0)
      throw new IllegalArgumentException(
          "the participation grace period must be from 0 to 1 hour, got " + grace);
    this.graceMillis = grace.toMillis();
  }

  /**
   * An attestation formed (or was adopted) here; {@code signers} are the indices in {@code
   * committee} of the members whose signatures for it this node held or was checking then.
   */
  public void formed(MessageId id, Committee committee, BitSet signers, long nowMillis) {
    settle(nowMillis);
    if (inGrace.containsKey(id)) return;
    BitSet signed = (BitSet) signers.clone();
    signed.clear(committee.size(), Math.max(committee.size(), signed.length()));
    long minute = minuteOf(nowMillis);
    signed.stream().forEach(i -> record(committee.member(i)).add(SIGNED, minute));
    inGrace.put(id, new InGrace(committee, signed, new BitSet(), nowMillis));
    while (inGrace.size() > MAX_IN_GRACE) settleEldest();
  }

  /**
   * A member's signature for an attested message arrived after the attestation formed. Counted once
   * per member and message, and only within the grace period; a retransmission of a signature
   * counted as signed is not late.
   */
  public void late(MessageId id, Address member, long nowMillis) {
    settle(nowMillis);
    InGrace g = inGrace.get(id);
    if (g == null) return;
    int i = g.committee().indexOf(member).orElse(-1);
    if (i < 0 || g.signed().get(i) || g.late().get(i)) return;
    g.late().set(i);
    record(member).add(LATE, minuteOf(g.formedMillis()));
  }

  /** The member signed a second, conflicting digest for one message (counted when found). */
  public void equivocated(Address member, long nowMillis) {
    settle(nowMillis);
    record(member).add(EQUIVOCATIONS, minuteOf(nowMillis));
  }

  /** A valid heartbeat from the member, sent at {@code atMillis}; the newest is kept. */
  public void heartbeat(Address member, String nodeName, long atMillis) {
    Record r = record(member);
    if (r.heartbeat == null || r.heartbeat.atMillis() <= atMillis)
      r.heartbeat = new Heartbeat(nodeName, atMillis);
  }

  /** Every member's counts as of now, with {@code current} the committee running now. */
  public Report report(Committee current, long nowMillis) {
    settle(nowMillis);
    long now = minuteOf(nowMillis);
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < current.size(); i++)
      out.add(member(current.member(i), Optional.of(i), records.get(current.member(i)), now));
    Map<Address, Record> former = new TreeMap<>();
    records.forEach(
        (a, r) -> {
          if (current.indexOf(a).isEmpty()) former.put(a, r);
        });
    former.forEach((a, r) -> out.add(member(a, Optional.empty(), r, now)));
    return new Report(current, nowMillis, Duration.ofMillis(graceMillis), inGrace.size(), out);
  }

  private static Member member(Address a, Optional<Integer> index, Record r, long nowMinute) {
    Map<Window, Counts> windows = new EnumMap<>(Window.class);
    for (Window w : Window.values())
      windows.put(w, r == null ? Counts.ZERO : r.window(w, nowMinute));
    return new Member(a, index, Optional.ofNullable(r).map(x -> x.heartbeat), windows);
  }

  /** Messages past their grace period: the members whose signature never came missed them. */
  private void settle(long nowMillis) {
    Iterator<InGrace> it = inGrace.values().iterator();
    while (it.hasNext()) {
      InGrace g = it.next();
      if (nowMillis - g.formedMillis() < graceMillis) return;
      it.remove();
      missed(g);
    }
  }

  private void settleEldest() {
    Iterator<InGrace> it = inGrace.values().iterator();
    InGrace g = it.next();
    it.remove();
    missed(g);
  }

  private void missed(InGrace g) {
    long minute = minuteOf(g.formedMillis());
    for (int i = 0; i < g.committee().size(); i++)
      if (!g.signed().get(i) && !g.late().get(i))
        record(g.committee().member(i)).add(MISSED, minute);
  }

  private Record record(Address a) {
    return records.computeIfAbsent(a, x -> new Record());
  }

  private static long minuteOf(long millis) {
    return Math.floorDiv(millis, 60_000L);
  }
}
