package dev.vigil.storage;

import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Keccak256;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Message keys, digests and a signer for storage tests, all derived from labels (no randomness).
 */
final class TestData {
  private TestData() {}

  static MessageId key(int chain, int emitterByte, long sequence) {
    byte[] emitter = new byte[32];
    Arrays.fill(emitter, 12, 32, (byte) emitterByte);
    return new MessageId(chain, Bytes32.wrap(emitter), sequence);
  }

  static Digest digest(String label) {
    return Digest.wrap(Keccak256.hash(label.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] bytes(String label, int length) {
    byte[] out = new byte[length];
    byte[] seed = Keccak256.hash(label.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < length; i++) out[i] = (byte) (seed[i % 32] + i / 32);
    return out;
  }

  static Signer signer(String label) {
    return new LocalKeySigner(
        PrivateKey.fromBytes(Keccak256.hash(label.getBytes(StandardCharsets.UTF_8))),
        Secp256k1Backends.preferred());
  }
}
