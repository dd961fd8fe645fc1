package dev.vigil.consensus.testing;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Keccak256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic observations: one emitter on one chain, sequences from 0. */
public final class Observations {
  public static final int CHAIN = 2;

  private Observations() {}

  public static List<Observation> generate(int count, long seed, int payloadBytes) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] emitter = Keccak256.hash(ByteBuffer.allocate(8).putLong(seed).array());
    List<Observation> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[payloadBytes];
      r.nextBytes(payload);
      Body body =
          new Body(
              1_700_000_000L + i,
              r.nextInt() & 0xffffffffL,
              CHAIN,
              Bytes32.wrap(emitter),
              i,
              1,
              payload);
      byte[] tx = Keccak256.hash(ByteBuffer.allocate(16).putLong(seed).putLong(i).array());
      byte[] block = Keccak256.hash(tx);
      out.add(new Observation(body, Bytes32.wrap(tx), 1000 + i, Bytes32.wrap(block)));
    }
    return out;
  }
}
