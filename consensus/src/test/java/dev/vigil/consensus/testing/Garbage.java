package dev.vigil.consensus.testing;

import java.util.Objects;

/**
 * Bytes a Byzantine node sends as they are, under a manifest of the consensus serializer: garbage,
 * or hostile but well-formed protobuf encoded ahead of time. Only a {@link RogueSerializer} sends
 * it.
 */
public record Garbage(String manifest, byte[] bytes) {
  public Garbage {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(bytes, "bytes");
  }
}
