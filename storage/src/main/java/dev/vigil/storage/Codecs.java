package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.storage.kv.KvCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Byte forms of the stores' keys and values. */
final class Codecs {
  private Codecs() {}

  static final KvCodec<MessageId> MESSAGE_KEY = KvCodec.of(MessageId::encode, MessageId::decode);

  static final KvCodec<Digest> DIGEST = KvCodec.of(Digest::toBytes, Digest::wrap);

  /** Chain ids as u64 big-endian; negative ids are refused on the way in. */
  static final KvCodec<Long> CHAIN_ID =
      KvCodec.of(
          id -> {
            if (id < 0) throw new IllegalArgumentException("chain id must be >= 0, got " + id);
            return ByteBuffer.allocate(8).putLong(id).array();
          },
          b -> {
            if (b.length != 8)
              throw new IllegalArgumentException("a chain id is 8 bytes, got " + b.length);
            long id = ByteBuffer.wrap(b).getLong();
            if (id < 0)
              throw new IllegalArgumentException(
                  "chain id is negative: " + Long.toUnsignedString(id));
            return id;
          });

  /** block number u64 | block hash 32 B. */
  static final KvCodec<ChainCursor> CURSOR =
      KvCodec.of(
          c -> ByteBuffer.allocate(40).putLong(c.blockNumber()).put(c.blockHash()).array(),
          b -> {
            if (b.length != 40)
              throw new IllegalArgumentException("a chain cursor is 40 bytes, got " + b.length);
            ByteBuffer buf = ByteBuffer.wrap(b);
            long n = buf.getLong();
            byte[] hash = new byte[32];
            buf.get(hash);
            return new ChainCursor(n, hash);
          });

  /** An attestation value: digest 32 B | attestation bytes (at least one). */
  record AttestationValue(Digest digest, byte[] bytes) {}

  static final KvCodec<AttestationValue> ATTESTATION =
      KvCodec.of(
          v ->
              ByteBuffer.allocate(32 + v.bytes().length)
                  .put(v.digest().toBytes())
                  .put(v.bytes())
                  .array(),
          b -> {
            if (b.length <= 32) {
              throw new IllegalArgumentException(
                  "an attestation value is a 32-byte digest and at least one byte, got "
                      + b.length
                      + " bytes");
            }
            return new AttestationValue(
                Digest.wrap(Arrays.copyOf(b, 32)), Arrays.copyOfRange(b, 32, b.length));
          });

  /** Evidence key: message key 42 B | signer address 20 B | index u32. */
  record EvidenceKey(MessageId key, Address signer, int index) {}

  static final int EVIDENCE_KEY_LENGTH = MessageId.ENCODED_LENGTH + Address.LENGTH + 4;

  static final KvCodec<EvidenceKey> EVIDENCE_KEY =
      KvCodec.of(
          k ->
              ByteBuffer.allocate(EVIDENCE_KEY_LENGTH)
                  .put(k.key().encode())
                  .put(k.signer().toBytes())
                  .putInt(k.index())
                  .array(),
          b -> {
            if (b.length != EVIDENCE_KEY_LENGTH) {
              throw new IllegalArgumentException(
                  "an evidence key is " + EVIDENCE_KEY_LENGTH + " bytes, got " + b.length);
            }
            MessageId key = MessageId.decode(Arrays.copyOf(b, MessageId.ENCODED_LENGTH));
            Address signer =
                Address.wrap(
                    Arrays.copyOfRange(
                        b, MessageId.ENCODED_LENGTH, MessageId.ENCODED_LENGTH + Address.LENGTH));
            int index = ByteBuffer.wrap(b, MessageId.ENCODED_LENGTH + Address.LENGTH, 4).getInt();
            if (index < 0)
              throw new IllegalArgumentException("evidence index is negative: " + index);
            return new EvidenceKey(key, signer, index);
          });

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
