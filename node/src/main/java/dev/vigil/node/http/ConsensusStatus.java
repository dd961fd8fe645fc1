package dev.vigil.node.http;

import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.consensus.aggregation.Participation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.wire.PeerMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The {@link StatusSource} of a guardian: asks its consensus actor for {@link ConsensusStats} and
 * adds the chains' heights, which the node supplies from its observers.
 *
 * <p>A peer counts as reachable while its last heartbeat is younger than {@code staleAfter} (a few
 * heartbeat intervals).
 *
 * <p>Answers are snapshots at most {@code maxAge} old: however many clients ask, the consensus
 * actor is asked at most once per {@code maxAge} (concurrent requests share one ask), so polling
 * /v1/status cannot flood the actor that does the committee's work.
 */
public final class ConsensusStatus implements StatusSource {
  private final ActorSystem<?> system;
  private final ActorRef<ConsensusActor.Command> consensus;
  private final String nodeName;
  private final String version;
  private final Committee committee;
  private final int selfIndex;
  private final Supplier<List<NodeStatus.Chain>> chains;
  private final Duration askTimeout;
  private final Duration staleAfter;
  private final Duration maxAge;
  private final Clock clock;
  private final AtomicReference<Snapshot> last = new AtomicReference<>();
  private final AtomicReference<Asked<Participation.Report>> lastParticipation =
      new AtomicReference<>();

  private record Snapshot(Instant at, CompletableFuture<NodeStatus> status) {}

  private record Asked<T>(Instant at, CompletableFuture<T> answer) {}

  public ConsensusStatus(
      ActorSystem<?> system,
      ActorRef<ConsensusActor.Command> consensus,
      String nodeName,
      String version,
      Committee committee,
      int selfIndex,
      Supplier<List<NodeStatus.Chain>> chains,
      Duration askTimeout,
      Duration staleAfter,
      Duration maxAge,
      Clock clock) {
    this.system = Objects.requireNonNull(system, "system");
    this.consensus = Objects.requireNonNull(consensus, "consensus");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.version = Objects.requireNonNull(version, "version");
    this.committee = Objects.requireNonNull(committee, "committee");
    this.selfIndex = selfIndex;
    this.chains = Objects.requireNonNull(chains, "chains");
    this.askTimeout = Objects.requireNonNull(askTimeout, "askTimeout");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<java.util.List<dev.vigil.consensus.aggregation.PendingMessage>> pending() {
    return AskPattern.ask(
        consensus,
        (ActorRef<java.util.List<dev.vigil.consensus.aggregation.PendingMessage>> r) ->
            new ConsensusActor.GetPending(PENDING_SHOWN, r),
        askTimeout,
        system.scheduler());
  }

  /** Pending messages {@code GET /v1/pending} shows at most (the oldest). */
  static final int PENDING_SHOWN = 200;

  @Override
  public CompletionStage<NodeStatus> status() {
    Instant now = clock.instant();
    Snapshot s = last.get();
    if (s != null && !now.isBefore(s.at()) && !now.isAfter(s.at().plus(maxAge)))
      return s.status().minimalCompletionStage();
    Snapshot mine = new Snapshot(now, new CompletableFuture<>());
    if (!last.compareAndSet(s, mine))
      return last.get().status().minimalCompletionStage(); // another request is refreshing it
    AskPattern.ask(consensus, ConsensusActor.GetStats::new, askTimeout, system.scheduler())
        .thenApply(this::toStatus)
        .whenComplete(
            (status, err) -> {
              if (err != null) mine.status().completeExceptionally(err);
              else mine.status().complete(status);
            });
    return mine.status().minimalCompletionStage();
  }

  /** At most one ask per {@code maxAge} too, shared by concurrent requests, as for the status. */
  @Override
  public CompletionStage<Participation.Report> participation() {
    Instant now = clock.instant();
    Asked<Participation.Report> s = lastParticipation.get();
    if (s != null && !now.isBefore(s.at()) && !now.isAfter(s.at().plus(maxAge)))
      return s.answer().minimalCompletionStage();
    Asked<Participation.Report> mine = new Asked<>(now, new CompletableFuture<>());
    if (!lastParticipation.compareAndSet(s, mine))
      return lastParticipation.get().answer().minimalCompletionStage();
    AskPattern.ask(consensus, ConsensusActor.GetParticipation::new, askTimeout, system.scheduler())
        .whenComplete(
            (report, err) -> {
              if (err != null) mine.answer().completeExceptionally(err);
              else mine.answer().complete(report);
            });
    return mine.answer().minimalCompletionStage();
  }

  NodeStatus toStatus(ConsensusStats s) {
    AggregationStats a = s.aggregation();
    Instant now = clock.instant();
    List<NodeStatus.Peer> peers = new ArrayList<>();
    for (int i = 0; i < committee.size(); i++) {
      if (i == selfIndex) continue;
      PeerMessage.HeartbeatInfo hb = s.heartbeats().get(i);
      Optional<Instant> at =
          hb == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(hb.timeMillis()));
      boolean fresh = at.isPresent() && Duration.between(at.get(), now).compareTo(staleAfter) <= 0;
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("signed", at(a.acceptedBySigner(), i));
      counts.put("equivocations", at(a.equivocationsBySigner(), i));
      counts.put("impersonations", at(a.impersonationsBySigner(), i));
      counts.put("unseenCapDropped", at(a.capDroppedBySigner(), i));
      counts.put("invalidSignatures", at(a.invalidBySigner(), i));
      counts.put("suspectDropped", at(a.suspectDroppedBySigner(), i));
      peers.add(
          new NodeStatus.Peer(
              i,
              committee.member(i),
              Optional.ofNullable(hb).map(PeerMessage.HeartbeatInfo::nodeName),
              fresh,
              at,
              hb == null ? Map.of() : hb.heights(),
              counts));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("attestations", a.attestationsTotal());
    counts.put("attestedHere", a.attested());
    counts.put("attestedFromPeers", a.attestedFromPeers());
    counts.put("pendingLocal", a.pendingLocal());
    counts.put("pendingUnseen", a.pendingUnseen());
    counts.put("gaveUp", a.gaveUp());
    counts.put("invalidSignatures", a.invalidSignatures());
    counts.put("notMember", a.notMember());
    counts.put("wrongCommittee", a.wrongCommittee());
    counts.put("duplicates", a.duplicates());
    counts.put("late", a.late());
    counts.put("invalidAttestations", a.invalidAttestations());
    counts.put("conflictsWithLocal", a.conflictsWithLocal());
    counts.put("signRefused", a.signRefused());
    counts.put("undecodableMessages", s.undecodableMessages());
    counts.put("undecodableItems", s.undecodableItems());
    counts.put("badHeartbeats", s.badHeartbeats());
    counts.put("requestsServed", s.requestsServed());
    counts.put("requestsRefused", s.requestsRefused());
    counts.put("batchesUnauthenticated", s.batchesUnauthenticated());
    counts.put("batchesShed", s.batchesShed());
    counts.put("evidenceStored", s.evidenceStored());
    counts.put("storeFailures", s.storeFailures());
    counts.put("peersConnected", (long) s.peers());
    return new NodeStatus(
        nodeName, version, committee.index(), selfIndex, chains.get(), peers, counts);
  }

  private static long at(List<Long> perMember, int i) {
    return i < perMember.size() ? perMember.get(i) : 0;
  }
}
