package dev.vigil.consensus.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.transport.PeerInbox;
import dev.vigil.consensus.wire.PeerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A Byzantine cluster node: it joins a {@link LocalCommittee}'s cluster (on a member's port, as
 * that member, or on a port of its own, as an outsider that got a connection), finds the guardians'
 * inboxes through the Receptionist like a guardian does, and speaks the wire protocol through a
 * {@link RogueSerializer}, so it can send {@link Garbage} too. It runs no consensus and registers
 * no inbox.
 */
public final class RogueNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final int port;

  private RogueNode(ActorSystem<Void> system, int port) {
    this.system = system;
    this.port = port;
  }

  /** Joins on member {@code index}'s port (that member must not be running). */
  public static RogueNode asMember(LocalCommittee c, int index) {
    if (c.isRunning(index))
      throw new IllegalStateException(
          "member " + index + " is running on the port the rogue wants");
    return join(c, c.releasePort(index));
  }

  /** Joins on a free port of its own: a node that is no member but reached the cluster. */
  public static RogueNode outsider(LocalCommittee c) {
    return join(c, LocalCommittee.freePort());
  }

  private static RogueNode join(LocalCommittee c, int port) {
    String seeds =
        c.ports().stream()
            .map(p -> "\"pekko://" + GuardianNode.SYSTEM_NAME + "@127.0.0.1:" + p + "\"")
            .collect(Collectors.joining(","));
    Config config =
        ConfigFactory.parseString(
                """
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.seed-nodes = [%s]
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.coordinated-shutdown.run-by-actor-system-terminate = off
        pekko.coordinated-shutdown.exit-jvm = off
        # Its remoting on threads of its own names, so that the flood benchmark can tell the
        # attacker's CPU (encoding, framing, TCP sends) from the guardians'.
        rogue-dispatcher {
          type = Dispatcher
          executor = "fork-join-executor"
          fork-join-executor { parallelism-min = 2, parallelism-max = 4 }
        }
        rogue-pinned-dispatcher { type = PinnedDispatcher, executor = "thread-pool-executor" }
        pekko.io.tcp.selector-dispatcher = "rogue-pinned-dispatcher"
        pekko.io.tcp.worker-dispatcher = "rogue-dispatcher"
        pekko.io.tcp.management-dispatcher = "rogue-dispatcher"
        pekko.remote.artery.advanced.use-dispatcher = "rogue-dispatcher"
        pekko.remote.artery.advanced.use-control-stream-dispatcher = "rogue-dispatcher"
        pekko.actor.serializers.vigil-consensus = "%s"
        pekko.actor.serialization-bindings { "%s" = vigil-consensus }
        """
                    .formatted(
                        port, seeds, RogueSerializer.class.getName(), Garbage.class.getName()))
            .withFallback(ConfigFactory.load());
    return new RogueNode(
        ActorSystem.create(Behaviors.empty(), GuardianNode.SYSTEM_NAME, config), port);
  }

  public int port() {
    return port;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * Waits until the Receptionist lists {@code count} guardian inboxes of the committee and returns
   * them, typed so that anything (a {@link PeerMessage} or {@link Garbage}) can be told to them.
   */
  public List<ActorRef<Object>> awaitInboxes(long committeeIndex, int count, Duration timeout)
      throws InterruptedException {
    var key = PeerInbox.serviceKey("vigil-consensus-" + committeeIndex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Set<ActorRef<PeerMessage>> found =
          AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                  system.receptionist(),
                  r -> Receptionist.find(key, r),
                  Duration.ofSeconds(10),
                  system.scheduler())
              .toCompletableFuture()
              .join()
              .getServiceInstances(key);
      if (found.size() >= count) {
        List<ActorRef<Object>> out = new ArrayList<>();
        for (ActorRef<PeerMessage> r : found) out.add(r.<Object>unsafeUpcast());
        return out;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the rogue node found "
                + found.size()
                + " of "
                + count
                + " guardian inboxes within "
                + timeout);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Registers an inbox of its own under the committee's service key (so the guardians count it as a
   * peer) that answers body requests for the given bodies and ignores everything else. It emulates
   * an operator running two instances with one key whose RPCs returned different bodies: the second
   * instance holds the second body and answers for it like any guardian would. Returns a counter of
   * the requests answered.
   */
  public java.util.concurrent.atomic.AtomicLong answerBodyRequests(
      long committeeIndex, java.util.Collection<dev.vigil.consensus.attestation.Body> bodies) {
    var byDigest =
        new java.util.concurrent.ConcurrentHashMap<
            dev.vigil.signing.Digest, dev.vigil.consensus.attestation.Body>();
    for (var b : bodies) byDigest.put(b.digest(), b);
    var answered = new java.util.concurrent.atomic.AtomicLong();
    var key = PeerInbox.serviceKey("vigil-consensus-" + committeeIndex);
    system.systemActorOf(
        Behaviors.<PeerMessage>setup(
            ctx -> {
              ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
              var resolver = org.apache.pekko.actor.typed.ActorRefResolver.get(ctx.getSystem());
              return Behaviors.receive(PeerMessage.class)
                  .onMessage(
                      PeerMessage.BodyRequest.class,
                      r -> {
                        var body = byDigest.get(r.digest());
                        if (body != null && body.messageId().equals(r.messageId())) {
                          resolver
                              .<PeerMessage>resolveActorRef(r.replyTo())
                              .tell(new PeerMessage.BodyReply(body));
                          answered.incrementAndGet();
                        }
                        return Behaviors.same();
                      })
                  .onAnyMessage(m -> Behaviors.same())
                  .build();
            }),
        "rogue-inbox",
        org.apache.pekko.actor.typed.Props.empty());
    return answered;
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "rogue actor system on port " + port + " did not terminate in 60 s", e);
    }
  }
}
