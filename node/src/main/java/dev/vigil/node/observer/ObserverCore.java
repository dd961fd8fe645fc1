package dev.vigil.node.observer;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.signing.Bytes32;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The decisions of one chain's observer, without actors: which block ranges are final for each
 * consistency level, which messages in them to hand to consensus, and where to resume. It blocks on
 * JSON-RPC, so its owner runs it on a blocking dispatcher.
 *
 * <p>Each level has its own cursor, so a message waits exactly for its own finality and a restart
 * resumes where each level stopped: nothing is skipped and nothing but the last unsaved range is
 * read twice (which the double-sign guard makes harmless: the same digest is signed again).
 */
public final class ObserverCore {
  private static final Logger log = LoggerFactory.getLogger(ObserverCore.class);

  private final ChainSource reader;
  private final Finality finality;
  private final CursorPersistence cursors;
  private final long startBlock;
  private final int maxBlockRange;
  private final int maxPayloadBytes;
  private final AtomicLong oversizedPayloads = new AtomicLong(); // poll and re-reads both count
  private final Map<Finality.Level, ChainReader.BlockRef> position =
      new EnumMap<>(Finality.Level.class);
  private long reorgsBelowFinality;

  public ObserverCore(
      ChainSource reader,
      Finality finality,
      CursorPersistence cursors,
      long startBlock,
      int maxBlockRange,
      int maxPayloadBytes) {
    if (maxBlockRange < 1) throw new IllegalArgumentException("max block range must be >= 1");
    if (maxPayloadBytes < 0) throw new IllegalArgumentException("max payload bytes must be >= 0");
    this.reader = reader;
    this.finality = finality;
    this.cursors = cursors;
    this.startBlock = startBlock;
    this.maxBlockRange = maxBlockRange;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public int chain() {
    return reader.chainId();
  }

  /** The result of one poll: observations to hand over, then cursors to save once they are. */
  public record Step(
      Finality.Heights heights,
      List<Observation> observations,
      Map<Finality.Level, ChainReader.BlockRef> advanced,
      boolean caughtUp) {}

  public Finality.Heights heights() {
    long head = reader.head();
    return switch (finality) {
      case Finality.Confirmations c -> {
        long h = Math.max(-1, head - c.depth());
        yield new Finality.Heights(head, h, h);
      }
      case Finality.Tags t -> {
        long safe =
            reader
                .taggedBlock(DefaultBlockParameterName.SAFE)
                .map(ChainReader.BlockRef::number)
                .orElseThrow(
                    () ->
                        new RpcException(
                            "chain "
                                + reader.chainId()
                                + " does not answer the 'safe' block tag;"
                                + " configure finality with a confirmation depth instead"));
        long fin =
            reader
                .taggedBlock(DefaultBlockParameterName.FINALIZED)
                .map(ChainReader.BlockRef::number)
                .orElseThrow(
                    () ->
                        new RpcException(
                            "chain "
                                + reader.chainId()
                                + " does not answer the 'finalized' block tag;"
                                + " configure finality with a confirmation depth instead"));
        yield new Finality.Heights(head, Math.min(safe, head), Math.min(fin, head));
      }
    };
  }

  /** Reads the next final range of every level (at most {@code maxBlockRange} blocks each). */
  public Step poll() {
    Finality.Heights h = heights();
    List<Observation> out = new ArrayList<>();
    Map<Finality.Level, ChainReader.BlockRef> advanced = new EnumMap<>(Finality.Level.class);
    boolean caughtUp = true;
    for (Finality.Level level : Finality.Level.values()) {
      long target = h.of(level);
      Optional<ChainReader.BlockRef> cursor = current(level);
      long from = cursor.map(c -> c.number() + 1).orElse(startBlock);
      if (cursor.isPresent()) checkStillCanonical(level, cursor.get());
      if (from > target) continue;
      long to = Math.min(target, from + maxBlockRange - 1);
      if (to < target) caughtUp = false;
      for (ObservedMessage m : reader.messages(from, to)) {
        if (Finality.Level.of(m.consistencyLevel()) == level && withinPayloadLimit(m, "read"))
          out.add(toObservation(m));
      }
      advanced.put(level, reader.block(to));
    }
    return new Step(h, out, advanced, caughtUp);
  }

  /** Records that a step's observations were handed over: its cursors become the resume points. */
  public void commit(Step step) {
    step.advanced()
        .forEach(
            (level, block) -> {
              cursors.save(reader.chainId(), level, block);
              position.put(level, block);
            });
  }

  /**
   * Re-reads one transaction for a peer's ObservationRequest: its messages that are final now and
   * still in the canonical chain (a reorged-out transaction yields nothing).
   */
  public List<Observation> reobserve(Bytes32 txHash) {
    List<ObservedMessage> msgs = reader.messagesInTransaction(txHash.toHex());
    if (msgs.isEmpty()) return List.of();
    Finality.Heights h = heights();
    List<Observation> out = new ArrayList<>();
    for (ObservedMessage m : msgs) {
      if (m.blockNumber() > h.of(Finality.Level.of(m.consistencyLevel())))
        continue; // not final yet
      if (!reader.block(m.blockNumber()).hash().equalsIgnoreCase(m.blockHash()))
        continue; // reorged out
      if (withinPayloadLimit(m, "re-read for a peer")) out.add(toObservation(m));
    }
    return out;
  }

  /** Blocks an operator's scan may cover at once ({@code vigil admin find-missing}). */
  public static final long MAX_SCAN_BLOCKS = 100_000;

  /**
   * The messages of blocks {@code from..to} that are final now (each at its own consistency level),
   * read {@code maxBlockRange} blocks at a time: what a guardian should have signed there.
   *
   * @throws IllegalArgumentException naming what is wrong with the range
   */
  public List<Observation> scan(long from, long to) {
    if (from < 0 || to < from)
      throw new IllegalArgumentException(
          "block range " + from + ".." + to + " is empty or negative");
    if (to - from + 1 > MAX_SCAN_BLOCKS)
      throw new IllegalArgumentException(
          "block range "
              + from
              + ".."
              + to
              + " is more than "
              + MAX_SCAN_BLOCKS
              + " blocks; scan it in parts");
    Finality.Heights h = heights();
    List<Observation> out = new ArrayList<>();
    for (long start = from; start <= to; start += maxBlockRange) {
      long end = Math.min(to, start + maxBlockRange - 1);
      for (ObservedMessage m : reader.messages(start, end)) {
        if (m.blockNumber() > h.of(Finality.Level.of(m.consistencyLevel()))) continue;
        if (withinPayloadLimit(m, "scanned for an operator")) out.add(toObservation(m));
      }
    }
    return out;
  }

  /**
   * False (with a WARN naming the message, and counted) when the message's payload is larger than
   * this chain allows: it is not signed. Everything else in its range goes on as usual.
   */
  private boolean withinPayloadLimit(ObservedMessage m, String how) {
    if (m.payload().length <= maxPayloadBytes) return true;
    oversizedPayloads.incrementAndGet();
    log.warn(
        "chain {}: not signing message {}/{}/{} (tx {}, block {}, {}): its payload is {} bytes,"
            + " more than max-payload-bytes {} of this chain",
        reader.chainId(),
        m.emitterChain(),
        Bytes32.wrap(m.emitterAddress()).toHex(),
        m.sequence(),
        m.txHash(),
        m.blockNumber(),
        how,
        m.payload().length,
        maxPayloadBytes);
    return false;
  }

  /** Messages not signed because their payload was larger than this chain allows. */
  public long oversizedPayloads() {
    return oversizedPayloads.get();
  }

  public long reorgsBelowFinality() {
    return reorgsBelowFinality;
  }

  /** The block each level has processed, for status and heartbeats. */
  public Map<Finality.Level, ChainReader.BlockRef> positions() {
    for (Finality.Level l : Finality.Level.values()) current(l);
    return Map.copyOf(position);
  }

  private Optional<ChainReader.BlockRef> current(Finality.Level level) {
    ChainReader.BlockRef p = position.get(level);
    if (p == null) {
      Optional<ChainReader.BlockRef> saved = cursors.load(reader.chainId(), level);
      saved.ifPresent(s -> position.put(level, s));
      return saved;
    }
    return Optional.of(p);
  }

  private void checkStillCanonical(Finality.Level level, ChainReader.BlockRef cursor) {
    if (level == Finality.Level.INSTANT) return; // instant messages accept reorg risk by design
    String now = reader.block(cursor.number()).hash();
    if (!now.equalsIgnoreCase(cursor.hash())) {
      reorgsBelowFinality++;
      // Never rewind: what was signed stays signed, and the double-sign guard refuses any other
      // digest for those messages. This is a chain-level incident an operator must look at.
      log.error(
          "REORG BELOW FINALITY on chain {}: block {} was {} when processed at level {}, the chain now says {}. "
              + "Messages of the replaced block are not re-read or re-signed; investigate the chain and its RPC endpoint.",
          reader.chainId(),
          cursor.number(),
          cursor.hash(),
          level,
          now);
      ChainReader.BlockRef replaced = reader.block(cursor.number());
      position.put(level, replaced);
      cursors.save(reader.chainId(), level, replaced);
    }
  }

  static Observation toObservation(ObservedMessage m) {
    Body body =
        new Body(
            m.timestamp(),
            m.nonce(),
            m.emitterChain(),
            Bytes32.wrap(m.emitterAddress()),
            m.sequence(),
            m.consistencyLevel(),
            m.payload());
    return new Observation(
        body, Bytes32.fromHex(m.txHash()), m.blockNumber(), Bytes32.fromHex(m.blockHash()));
  }
}
