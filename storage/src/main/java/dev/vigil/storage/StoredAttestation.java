package dev.vigil.storage;

import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.Arrays;

/** An attestation as stored: its message key, the digest it attests, and its opaque bytes. */
public record StoredAttestation(MessageId key, Digest digest, byte[] bytes) {
  public StoredAttestation {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredAttestation a
        && key.equals(a.key)
        && digest.equals(a.digest)
        && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * key.hashCode() + digest.hashCode()) + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StoredAttestation[" + key + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
