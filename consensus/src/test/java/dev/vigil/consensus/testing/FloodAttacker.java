package dev.vigil.consensus.testing;

import com.google.protobuf.ByteString;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.wire.PeerMessage;
import dev.vigil.consensus.wire.WireCodec;
import dev.vigil.consensus.wire.proto.SignedObservationBatch;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Signature;
import dev.vigil.signing.Signer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a flooding member sends: a fixed, seeded mix of hostile messages, every one encoded ahead of
 * time (so that sending costs the attacker little CPU, and the machine's cores go to the guardians
 * under attack), sent to every target at a bounded rate.
 *
 * <p>The mix ({@link Kind}): signatures that do not verify for the messages the guardians are
 * attesting, in batches the attacker signed as itself; batches in the honest members' names; its
 * real key over bodies nobody observed (these fill the unseen caps) and random signatures over such
 * bodies; batches close to Artery's 2 MiB frame limit; a batch of a million empty entries; one body
 * of almost 2 MiB; bytes that are no protobuf at all.
 */
public final class FloodAttacker {
  /** Kinds of hostile message, and how many of each one cycle of the mix sends. */
  public enum Kind {
    /** 200 random (r, s) under the attacker's index, for messages the guardians observed. */
    JUNK_SIGNATURES(4),
    /**
     * 200 real signatures by the attacker's key over observed digests, in a batch in an honest
     * member's name signed by the attacker's key (dropped whole, charged to no member).
     */
    IMPERSONATIONS(2),
    /** 200 real signatures by the attacker's key over bodies nobody observed. */
    UNSEEN_VALID(2),
    /** 200 random (r, s) over bodies nobody observed. */
    UNSEEN_JUNK(4),
    /** About 12,000 random signatures over unobserved bodies in one batch just under 2 MiB. */
    OVERSIZED_BATCH(1),
    /** A batch of 1,000,000 empty entries (2 MB). */
    HUGE_COUNT(1),
    /**
     * One entry with a body of almost 2 MiB (half of them really signed by the attacker); bodies
     * are never sent between guardians.
     */
    HUGE_BODY(1),
    /** Random bytes under each of the wire manifests. */
    UNDECODABLE(5);

    final int perCycle;

    Kind(int perCycle) {
      this.perCycle = perCycle;
    }
  }

  /** What was sent (to all targets together). */
  public record Totals(
      long messages, long items, long bytes, long nanos, Map<Kind, Long> messagesByKind) {
    public double seconds() {
      return nanos / 1e9;
    }
  }

  static final int BATCH = 200;
  static final int FRAME_BUDGET =
      2_000_000; // Artery's maximum-frame-size is 2 MiB; leave room for the envelope
  private static final int POOL_VARIANTS = 4;

  private final long committeeIndex;
  private final SplittableRandom random;
  private final Map<Kind, List<Payload>> pool = new EnumMap<>(Kind.class);
  private final List<Kind> cycle = new ArrayList<>();

  /** One encoded message and how many signature entries it carries. */
  private record Payload(Garbage message, int items) {}

  /**
   * Encodes the mix.
   *
   * @param key the attacker's signer (a member's real key, or an outsider's own)
   * @param ownIndex the signer index the attacker claims for itself
   * @param members the committee size (impersonations claim every other index)
   * @param observed the messages the guardians are attesting (a member observes the same chain)
   * @param unseenValid how many distinct unobserved bodies the attacker really signs (more than the
   *     guardians' max-unseen-per-peer shows the cap at work)
   */
  public FloodAttacker(
      long committeeIndex,
      Signer key,
      int ownIndex,
      int members,
      List<Observation> observed,
      int unseenValid,
      long seed) {
    Objects.requireNonNull(key, "key");
    if (observed.isEmpty())
      throw new IllegalArgumentException("the attacker needs the observed messages to aim at");
    this.committeeIndex = committeeIndex;
    this.random = new SplittableRandom(seed);
    byte[] emitter = new byte[32];
    random.nextBytes(emitter);

    List<Payload> junk = new ArrayList<>();
    for (int v = 0; v < POOL_VARIANTS; v++) {
      for (int from = 0; from < observed.size(); from += BATCH) {
        List<SignedObservation> b = new ArrayList<>();
        for (Observation o : observed.subList(from, Math.min(observed.size(), from + BATCH))) {
          b.add(entry(ownIndex, o.body(), randomSignature(), o.txHash()));
        }
        junk.add(payload(WireCodec.batch(committeeIndex, ownIndex, b, key)));
      }
    }
    pool.put(Kind.JUNK_SIGNATURES, junk);

    List<Payload> impersonations = new ArrayList<>();
    for (int from = 0; from < observed.size(); from += BATCH) {
      int claimed = (ownIndex + 1 + random.nextInt(members - 1)) % members;
      List<SignedObservation> b = new ArrayList<>();
      for (Observation o : observed.subList(from, Math.min(observed.size(), from + BATCH))) {
        b.add(entry(claimed, o.body(), key.sign(o.digest().toBytes()), o.txHash()));
      }
      impersonations.add(payload(WireCodec.batch(committeeIndex, claimed, b, key)));
    }
    pool.put(Kind.IMPERSONATIONS, impersonations);

    // Sequences far above any real one, so that no guardian ever observes these bodies.
    long sequence = 1L << 40;
    List<Payload> unseen = new ArrayList<>();
    for (int made = 0; made < unseenValid; made += BATCH) {
      List<SignedObservation> b = new ArrayList<>();
      for (int k = 0; k < Math.min(BATCH, unseenValid - made); k++) {
        Body body = body(emitter, sequence++, 32);
        b.add(entry(ownIndex, body, key.sign(body.digest().toBytes()), randomBytes32()));
      }
      unseen.add(payload(WireCodec.batch(committeeIndex, ownIndex, b, key)));
    }
    pool.put(Kind.UNSEEN_VALID, unseen);

    List<Payload> unseenJunk = new ArrayList<>();
    for (int v = 0; v < 16; v++) {
      List<SignedObservation> b = new ArrayList<>();
      for (int k = 0; k < BATCH; k++)
        b.add(entry(ownIndex, body(emitter, sequence++, 32), randomSignature(), randomBytes32()));
      unseenJunk.add(payload(WireCodec.batch(committeeIndex, ownIndex, b, key)));
    }
    pool.put(Kind.UNSEEN_JUNK, unseenJunk);

    List<Payload> oversized = new ArrayList<>();
    for (int v = 0; v < POOL_VARIANTS; v++) {
      var b = batchProto(ownIndex);
      int size = 0;
      while (true) {
        var e =
            WireCodec.toWire(
                entry(ownIndex, body(emitter, sequence++, 0), randomSignature(), randomBytes32()));
        int entrySize = e.getSerializedSize() + 3; // tag and length
        if (size + entrySize > FRAME_BUDGET) break;
        b.addObservations(e);
        size += entrySize;
      }
      oversized.add(payload(b.build()));
    }
    pool.put(Kind.OVERSIZED_BATCH, oversized);

    // An empty SignedObservation entry is two bytes on the wire: tag 0x0a, length 0.
    int count = FRAME_BUDGET / 2;
    byte[] many = new byte[count * 2];
    for (int k = 0; k < count; k++) many[2 * k] = 0x0a;
    pool.put(
        Kind.HUGE_COUNT,
        List.of(new Payload(new Garbage(WireCodec.OBSERVATION_BATCH, many), count)));

    List<Payload> huge = new ArrayList<>();
    for (int v = 0; v < POOL_VARIANTS; v++) {
      Body body = body(emitter, sequence++, FRAME_BUDGET - 400);
      Signature s = v % 2 == 0 ? key.sign(body.digest().toBytes()) : randomSignature();
      huge.add(
          payload(
              batchProto(ownIndex)
                  .addObservations(
                      WireCodec.toWire(entry(ownIndex, body, s, randomBytes32())).toBuilder()
                          .setBody(ByteString.copyFrom(body.encode())))
                  .build()));
    }
    pool.put(Kind.HUGE_BODY, huge);

    List<Payload> garbage = new ArrayList<>();
    String[] manifests = {
      WireCodec.OBSERVATION_BATCH,
      WireCodec.ATTESTATION_BATCH,
      WireCodec.OBSERVATION_REQUEST,
      WireCodec.HEARTBEAT,
      "Nonsense.v9"
    };
    for (int v = 0; v < 20; v++) {
      byte[] bytes = new byte[64 + random.nextInt(4096)];
      random.nextBytes(bytes);
      garbage.add(new Payload(new Garbage(manifests[v % manifests.length], bytes), 1));
    }
    pool.put(Kind.UNDECODABLE, garbage);

    // Kinds interleaved within one cycle, so that any stretch of time sees all of them.
    int longest = 0;
    for (Kind k : Kind.values()) longest = Math.max(longest, k.perCycle);
    for (int round = 0; round < longest; round++) {
      for (Kind k : Kind.values()) if (round < k.perCycle) cycle.add(k);
    }
  }

  /** Messages in one cycle of the mix. */
  public int cycleLength() {
    return cycle.size();
  }

  /**
   * Sends the mix to every target, {@code messagesPerSecond} messages per target per second on
   * average, until {@code maxMessages} per target were sent, {@code maxNanos} passed, or {@code
   * stop} says so (checked between messages).
   */
  public Totals send(
      List<ActorRef<Object>> targets,
      double messagesPerSecond,
      long maxMessages,
      long maxNanos,
      BooleanSupplier stop) {
    if (!(messagesPerSecond > 0))
      throw new IllegalArgumentException("rate must be positive, got " + messagesPerSecond);
    Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    Map<Kind, Integer> next = new EnumMap<>(Kind.class);
    long messages = 0, items = 0, bytes = 0;
    long start = System.nanoTime();
    int position = 0;
    for (long sent = 0; sent < maxMessages; sent++) {
      if (stop.getAsBoolean()) break;
      long due = start + (long) (sent * 1e9 / messagesPerSecond);
      long now;
      while ((now = System.nanoTime()) < due) {
        if (stop.getAsBoolean()) break;
        sleepNanos(Math.min(due - now, 5_000_000));
      }
      if (now - start > maxNanos) break;
      Kind kind = cycle.get(position++ % cycle.size());
      List<Payload> choices = pool.get(kind);
      int i = next.merge(kind, 1, Integer::sum) - 1;
      Payload p = choices.get(i % choices.size());
      for (ActorRef<Object> t : targets) t.tell(p.message());
      messages += targets.size();
      items += (long) p.items() * targets.size();
      bytes += (long) p.message().bytes().length * targets.size();
      byKind.merge(kind, (long) targets.size(), Long::sum);
    }
    return new Totals(messages, items, bytes, System.nanoTime() - start, byKind);
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SignedObservation entry(int signer, Body body, Signature s, Bytes32 txHash) {
    return SignedObservation.of(committeeIndex, signer, body, s, txHash);
  }

  /** A batch frame in the attacker's own name with a random (well-formed) signature. */
  private SignedObservationBatch.Builder batchProto(int sender) {
    return SignedObservationBatch.newBuilder()
        .setCommitteeIndex((int) committeeIndex)
        .setSenderIndex(sender)
        .setSignature(ByteString.copyFrom(randomSignature().toBytes()));
  }

  private static Payload payload(PeerMessage.ObservationBatch batch) {
    return new Payload(
        new Garbage(WireCodec.OBSERVATION_BATCH, WireCodec.encode(batch)),
        batch.observations().size());
  }

  private static Payload payload(SignedObservationBatch batch) {
    return new Payload(
        new Garbage(WireCodec.OBSERVATION_BATCH, batch.toByteArray()),
        batch.getObservationsCount());
  }

  private Body body(byte[] emitter, long sequence, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    random.nextBytes(payload);
    return new Body(
        1_700_000_000L,
        random.nextInt() & 0xffffffffL,
        Observations.CHAIN,
        Bytes32.wrap(emitter),
        sequence,
        1,
        payload);
  }

  /**
   * A signature with v in {0, 1} and random r and s: well-formed, verifies as nobody in particular.
   */
  private Signature randomSignature() {
    byte[] b = new byte[Signature.LENGTH];
    random.nextBytes(b);
    b[0] &= 0x7f; // r below the curve order, so that it decodes
    b[32] &=
        0x3f; // s in the lower half (canonical), so that it is recovered, not rejected by shape
    b[64] = (byte) random.nextInt(2);
    return Signature.fromBytes(b);
  }

  private Bytes32 randomBytes32() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Bytes32.wrap(b);
  }
}
