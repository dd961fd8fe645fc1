package dev.vigil.node.run;

import dev.vigil.node.config.ClusterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this guardian's Pekko cluster is an island: a cluster of its own, apart from the one
 * the rest of the committee runs. Guardians never down each other and Pekko never merges two
 * clusters, so an island lasts until its members restart. It forms when the first seed restarts and
 * hears from no other seed within the seed-node timeout (cut off by the network, or slow), and
 * forms a new cluster by itself.
 *
 * <p>The signs, all at once and for several looks in a row: this node is a member of a cluster that
 * has never had a quorum of members since this node joined it and has fewer than a quorum now
 * (members of any status), and some other seed answers over the network but is not a member of it.
 * The committee's own cluster never shows them: it had a quorum once, and while restarted guardians
 * replace their old incarnations it may briefly have fewer members than a quorum, with the
 * restarted ones alive outside. A cluster still forming at a cold start shows them only while a
 * seed is between answering and joining, which is shorter than the looks. What it does is {@code
 * onIsland}: the node restarts its cluster node, and a new incarnation joins the seeds again,
 * through whichever of them answers.
 */
final class IslandWatch {
  private static final Logger log = LoggerFactory.getLogger(IslandWatch.class);

  /**
   * What one look found.
   *
   * @param joined this node is an Up (or WeaklyUp) member of a cluster
   * @param members members of that cluster, of any status
   * @param foreignSeeds other seeds that answered but are not members of it
   */
  record Look(boolean joined, int members, List<String> foreignSeeds) {
    Look {
      foreignSeeds = List.copyOf(foreignSeeds);
    }
  }

  private IslandWatch() {}

  /**
   * How many looks in a row have found an island, after {@code look}.
   *
   * @param hadQuorum this node's cluster has had a quorum of members at some look since it joined
   */
  static int next(int streak, Look look, int quorum, boolean hadQuorum) {
    if (hadQuorum || !look.joined() || look.members() >= quorum || look.foreignSeeds().isEmpty())
      return 0;
    return streak + 1;
  }

  /**
   * Looks every {@code every} while the actor system runs; after {@code strikes} looks in a row
   * that found an island, runs {@code onIsland} once and stops looking.
   */
  static void start(
      ActorSystem<?> system,
      ClusterSettings cluster,
      int quorum,
      Duration every,
      int strikes,
      Runnable onIsland) {
    Thread.ofPlatform()
        .daemon()
        .name("vigil-island-watch")
        .start(
            () -> {
              int streak = 0;
              boolean hadQuorum = false;
              while (!system.getWhenTerminated().toCompletableFuture().isDone()) {
                try {
                  Thread.sleep(every);
                } catch (InterruptedException e) {
                  return;
                }
                Look look;
                try {
                  look = look(system, cluster, quorum, every);
                } catch (RuntimeException e) {
                  continue; // the system is shutting down
                }
                hadQuorum |= look.joined() && look.members() >= quorum;
                streak = next(streak, look, quorum, hadQuorum);
                if (streak == 0) continue;
                log.info(
                    "cluster looks like an island ({} of {}): {} member(s), fewer than a quorum of {}; seeds alive outside it: {}",
                    streak,
                    strikes,
                    look.members(),
                    quorum,
                    look.foreignSeeds());
                if (streak >= strikes) {
                  log.warn(
                      "this guardian's cluster is an island: {} member(s) while seeds {} run outside it; restarting the cluster"
                          + " node to join them",
                      look.members(),
                      look.foreignSeeds());
                  onIsland.run();
                  return;
                }
              }
            });
  }

  private static Look look(
      ActorSystem<?> system, ClusterSettings settings, int quorum, Duration timeout) {
    Cluster cluster = Cluster.get(system);
    MemberStatus self = cluster.selfMember().status();
    boolean joined = self == MemberStatus.up() || self == MemberStatus.weaklyUp();
    Set<String> members = new HashSet<>();
    int count = 0;
    for (Member m : cluster.state().getMembers()) {
      count++;
      members.add(
          m.address().getHost().orElse("").toLowerCase(Locale.ROOT)
              + ":"
              + m.address().getPort().orElse(0));
    }
    // only a small cluster is a candidate, so the committee's cluster never probes anyone
    if (!joined || count >= quorum) return new Look(joined, count, List.of());
    List<ClusterSettings.Seed> outside =
        settings.otherSeeds().stream()
            .filter(s -> !members.contains(s.host().toLowerCase(Locale.ROOT) + ":" + s.port()))
            .toList();
    if (outside.isEmpty()) return new Look(true, count, List.of());
    List<CompletableFuture<String>> probes = new ArrayList<>();
    for (ClusterSettings.Seed s : outside) {
      // every cluster node has its cluster daemon here; resolving it answers across clusters (plain
      // remoting)
      probes.add(
          Adapter.toClassic(system)
              .actorSelection(settings.seedAddress(s) + "/system/cluster/core/daemon")
              .resolveOne(timeout)
              .toCompletableFuture()
              .thenApply(ref -> s.toString())
              .exceptionally(e -> null));
    }
    List<String> alive = new ArrayList<>();
    for (CompletableFuture<String> p : probes) {
      try {
        String s = p.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        if (s != null) alive.add(s);
      } catch (Exception e) {
        // no answer: not alive for this look
      }
    }
    return new Look(true, count, alive);
  }
}
