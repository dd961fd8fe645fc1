package dev.vigil.consensus.transport;

import dev.vigil.consensus.wire.PeerMessage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The remotely addressable end of a guardian: registered with the (cluster) Receptionist under the
 * committee's service key, it hands every {@link PeerMessage} from a peer to the local consensus
 * actor. A separate actor because typed message adapters are local only.
 */
public final class PeerInbox {
  private PeerInbox() {}

  public static ServiceKey<PeerMessage> serviceKey(String name) {
    return ServiceKey.create(PeerMessage.class, name);
  }

  public static <T> Behavior<PeerMessage> create(
      ServiceKey<PeerMessage> key, ActorRef<T> consensus, Function<PeerMessage, T> wrap) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
          return Behaviors.receive(PeerMessage.class)
              .onAnyMessage(
                  m -> {
                    consensus.tell(wrap.apply(m));
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
