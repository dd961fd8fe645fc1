package dev.vigil.bench;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The message the microbenchmarks work on: a body with a 133-byte payload (the size of a token
 * transfer), and its attestation signed by a quorum of 13 of a 19-member committee.
 */
final class TypicalMessage {
  static final int PAYLOAD_BYTES = 133;
  static final int COMMITTEE_SIZE = 19;
  static final int QUORUM = 13;

  private TypicalMessage() {}

  static Body body() {
    byte[] payload = new byte[PAYLOAD_BYTES];
    new SplittableRandom(7).nextBytes(payload);
    byte[] emitter = new byte[Bytes32.LENGTH];
    emitter[31] = 4;
    return new Body(1_700_000_000L, 42, 2, Bytes32.wrap(emitter), 123_456, 1, payload);
  }

  /** The key of committee member {@code i}; the same on every run. */
  static PrivateKey key(int i) {
    return PrivateKey.fromBytes(Keccak256.hash(ByteBuffer.allocate(4).putInt(i + 1).array()));
  }

  /** Signed by members 0, 1, 3, 4, 6, ... (13 of 19, not a prefix, as a real quorum rarely is). */
  static Attestation attestation() {
    Body body = body();
    byte[] digest = body.digest().toBytes();
    Secp256k1 secp = Secp256k1Backends.bouncyCastle();
    List<GuardianSignature> signatures = new ArrayList<>();
    for (int i = 0; i < COMMITTEE_SIZE && signatures.size() < QUORUM; i++) {
      if (i % 3 == 2) continue;
      signatures.add(new GuardianSignature(i, secp.sign(digest, key(i))));
    }
    return Attestation.v1(3, signatures, body);
  }
}
