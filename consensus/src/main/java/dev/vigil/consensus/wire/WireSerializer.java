package dev.vigil.consensus.wire;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The one Pekko serializer for consensus traffic, bound to {@link PeerMessage} in reference.conf.
 * Decoding never throws: garbage from a peer becomes a {@link PeerMessage.Undecodable} that the
 * receiving actor counts and drops (an exception here would only be logged by Pekko, uncounted).
 */
public class WireSerializer extends SerializerWithStringManifest {
  /** Pekko reserves 0 to 40; this is Vigil's. */
  public static final int IDENTIFIER = 7_417_001;

  /**
   * Where a node's configuration may lower or raise {@link WireCodec#DEFAULT_MAX_BATCH_ENTRIES}.
   */
  public static final String MAX_BATCH_ENTRIES = "vigil.consensus.max-batch-entries";

  private final int maxBatchEntries;

  public WireSerializer(ExtendedActorSystem system) {
    var config = system == null ? null : system.settings().config();
    this.maxBatchEntries =
        config != null && config.hasPath(MAX_BATCH_ENTRIES)
            ? config.getInt(MAX_BATCH_ENTRIES)
            : WireCodec.DEFAULT_MAX_BATCH_ENTRIES;
    if (maxBatchEntries < 1)
      throw new IllegalArgumentException(
          MAX_BATCH_ENTRIES + " must be >= 1, got " + maxBatchEntries);
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof PeerMessage m && !(o instanceof PeerMessage.Undecodable))
      return WireCodec.manifest(m);
    throw new IllegalArgumentException("WireSerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof PeerMessage m && !(o instanceof PeerMessage.Undecodable))
      return WireCodec.encode(m);
    throw new IllegalArgumentException("WireSerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return WireCodec.decode(manifest, bytes, maxBatchEntries);
  }
}
