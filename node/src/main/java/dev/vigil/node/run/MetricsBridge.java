package dev.vigil.node.run;

import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.actor.ConsensusStats;
import dev.vigil.consensus.aggregation.AggregationStats;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.node.observer.ChainHealth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Turns the consensus actor's and the observers' running totals into Prometheus counters: every
 * period it reads the totals and adds what changed since the last read.
 */
final class MetricsBridge {
  private final ActorRef<ConsensusActor.Command> consensus;
  private final NodeMetrics metrics;
  private final Map<Integer, ChainHealth> health;
  private final ActorSystem<?> system;
  private final Map<String, Long> last = new HashMap<>();
  private final int selfIndex;
  private final int committeeSize;
  private final int quorum;

  private MetricsBridge(
      ActorSystem<?> system,
      ActorRef<ConsensusActor.Command> consensus,
      NodeMetrics metrics,
      Map<Integer, ChainHealth> health,
      int selfIndex,
      int committeeSize,
      int quorum) {
    this.selfIndex = selfIndex;
    this.committeeSize = committeeSize;
    this.quorum = quorum;
    this.system = system;
    this.consensus = consensus;
    this.metrics = metrics;
    this.health = health;
  }

  static void start(
      ActorSystem<?> system,
      ActorRef<ConsensusActor.Command> consensus,
      NodeMetrics metrics,
      Map<Integer, ChainHealth> health,
      int selfIndex,
      int committeeSize,
      int quorum,
      Duration period) {
    MetricsBridge b =
        new MetricsBridge(system, consensus, metrics, health, selfIndex, committeeSize, quorum);
    system
        .scheduler()
        .scheduleWithFixedDelay(period, period, b::refresh, system.executionContext());
  }

  private synchronized long delta(String key, long total) {
    long before = last.getOrDefault(key, 0L);
    last.put(key, Math.max(before, total));
    return Math.max(0, total - before);
  }

  private void refresh() {
    health.forEach(
        (chain, h) -> {
          ChainHealth.Snapshot s = h.snapshot();
          if (s.processedFinalized() >= 0) metrics.chainHeight(chain, s.processedFinalized());
          if (s.head() >= 0)
            metrics.chainBlocks(chain, s.head(), s.safe(), s.finalized(), s.lastSuccessMillis());
          for (long i = delta("rpc:" + chain, s.rpcErrors()); i > 0; i--) metrics.rpcError(chain);
          long oversized = delta("oversized:" + chain, s.oversizedPayloads());
          if (oversized > 0) metrics.oversizedPayloads(chain, oversized);
          long shed = delta("shed:" + chain, h.rereadsShed());
          if (shed > 0) metrics.rereadsShed(chain, shed);
        });
    AskPattern.<ConsensusActor.Command, ConsensusStats>ask(
            consensus, ConsensusActor.GetStats::new, Duration.ofSeconds(5), system.scheduler())
        .thenAccept(this::apply);
  }

  private synchronized void apply(ConsensusStats stats) {
    AggregationStats a = stats.aggregation();
    metrics.committee(committeeSize, quorum, stats.peers());
    metrics.pending(a.pendingLocal(), a.pendingUnseen());
    long forged = delta("unauthenticated", stats.batchesUnauthenticated());
    if (forged > 0) metrics.batchesUnauthenticated(forged);
    long invalid = delta("invalid", a.invalidSignatures());
    for (long i = 0; i < invalid; i++) metrics.signatureInvalid("bad_signature");
    long notMember = delta("notMember", a.notMember());
    for (long i = 0; i < notMember; i++) metrics.signatureInvalid("not_member");
    long wrong = delta("wrongCommittee", a.wrongCommittee());
    for (long i = 0; i < wrong; i++) metrics.signatureInvalid("wrong_committee");
    List<Long> accepted = a.acceptedBySigner();
    long received = 0;
    for (int m = 0; m < accepted.size(); m++) {
      long d = delta("accepted:" + m, accepted.get(m));
      if (m == selfIndex) {
        if (d > 0) metrics.signaturesSent(d); // own signatures, each broadcast to every peer
      } else {
        received += d;
      }
      for (long i = 0; i < d; i++) metrics.participation(m, NodeMetrics.Participation.SIGNED);
    }
    if (received > 0) metrics.signaturesReceived(received);
    // attestations by emitter chain: formed here vs received whole
    a.attestedByChain()
        .forEach(
            (chain, total) -> {
              for (long i = delta("attested:" + chain, total); i > 0; i--)
                metrics.attestation(chain, true);
            });
    a.attestedFromPeersByChain()
        .forEach(
            (chain, total) -> {
              for (long i = delta("attestedFromPeers:" + chain, total); i > 0; i--)
                metrics.attestation(chain, false);
            });
  }
}
