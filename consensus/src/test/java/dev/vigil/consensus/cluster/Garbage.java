package dev.vigil.consensus.cluster;

/** Bytes a Byzantine member sends as they are, under a manifest of the consensus serializer. */
record Garbage(String manifest, byte[] bytes) {}
