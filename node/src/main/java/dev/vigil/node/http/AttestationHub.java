package dev.vigil.node.http;

import dev.vigil.consensus.attestation.Attestation;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fan-out point for new attestations: {@link #publish} calls every subscriber in turn. Wire it to
 * the consensus actor by spawning {@link #behavior()} and subscribing that actor to it, so that
 * publishing runs on the hub's own actor, never on the consensus actor's thread.
 */
public final class AttestationHub implements AttestationFeed {
  private static final Logger log = LoggerFactory.getLogger(AttestationHub.class);

  private final CopyOnWriteArrayList<Consumer<Attestation>> listeners =
      new CopyOnWriteArrayList<>();

  @Override
  public Subscription subscribe(Consumer<Attestation> listener) {
    Objects.requireNonNull(listener, "listener");
    // A wrapper per subscription, so the same lambda subscribed twice is removed once per close.
    Consumer<Attestation> entry = listener::accept;
    listeners.add(entry);
    return () -> listeners.remove(entry);
  }

  /**
   * Hands {@code attestation} to every subscriber; one that throws is logged and the rest still
   * run.
   */
  public void publish(Attestation attestation) {
    Objects.requireNonNull(attestation, "attestation");
    for (Consumer<Attestation> l : listeners) {
      try {
        l.accept(attestation);
      } catch (RuntimeException e) {
        log.warn(
            "an attestation subscriber failed on {}: {}", attestation.messageId(), e.toString());
      }
    }
  }

  public int subscriberCount() {
    return listeners.size();
  }

  /**
   * An actor that publishes every attestation it is sent, e.g. as the consensus actor's subscriber.
   */
  public Behavior<Attestation> behavior() {
    return Behaviors.receive(Attestation.class)
        .onMessage(
            Attestation.class,
            a -> {
              publish(a);
              return Behaviors.same();
            })
        .build();
  }
}
