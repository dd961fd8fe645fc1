package dev.vigil.consensus.testing;

import dev.vigil.consensus.wire.WireSerializer;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * The consensus serializer (same identifier) that can also put raw {@link Garbage} on the wire.
 * Only an attacker's actor system (tests, the flood benchmark) binds it; a guardian never does.
 */
public class RogueSerializer extends WireSerializer {
  public RogueSerializer(ExtendedActorSystem system) {
    super(system);
  }

  @Override
  public String manifest(Object o) {
    return o instanceof Garbage g ? g.manifest() : super.manifest(o);
  }

  @Override
  public byte[] toBinary(Object o) {
    return o instanceof Garbage g ? g.bytes() : super.toBinary(o);
  }
}
