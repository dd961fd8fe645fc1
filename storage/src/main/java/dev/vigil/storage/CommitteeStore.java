package dev.vigil.storage;

import dev.vigil.signing.Address;
import dev.vigil.storage.kv.Durability;
import dev.vigil.storage.kv.KvCodec;
import dev.vigil.storage.kv.KvCodecs;
import dev.vigil.storage.kv.KvColumn;
import dev.vigil.storage.kv.KvRange;
import dev.vigil.storage.kv.KvStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The committees this guardian installed by rotation, by index. Synced: a guardian that switched to
 * a new committee must still be on it after a crash, or it would sign under a replaced one.
 */
public final class CommitteeStore {
  // index u32 | installedAt u64 | n u8 | n x address | rotation attestation
  private static final KvCodec<InstalledCommittee> VALUE =
      KvCodec.of(CommitteeStore::encode, CommitteeStore::decode);

  private final KvColumn<Long, InstalledCommittee> committees;

  CommitteeStore(KvStore kv) {
    this.committees = kv.column(VigilDatabase.COMMITTEES, KvCodecs.u64(), VALUE);
  }

  public void put(InstalledCommittee c) {
    committees.put(c.index(), c, Durability.SYNCED);
  }

  public Optional<InstalledCommittee> get(long index) {
    return committees.get(index);
  }

  /** Every installed committee, lowest index first. */
  public List<InstalledCommittee> all() {
    List<InstalledCommittee> out = new ArrayList<>();
    committees.forEach(KvRange.all(), (k, v) -> out.add(v));
    return out;
  }

  /** The installed committee with the highest index, if any. */
  public Optional<InstalledCommittee> latest() {
    List<InstalledCommittee> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static byte[] encode(InstalledCommittee c) {
    byte[] att = c.rotationAttestation();
    ByteBuffer b =
        ByteBuffer.allocate(4 + 8 + 1 + c.members().size() * Address.LENGTH + att.length);
    b.putInt((int) c.index());
    b.putLong(c.installedAtMillis());
    b.put((byte) c.members().size());
    for (Address a : c.members()) b.put(a.toBytes());
    b.put(att);
    return b.array();
  }

  private static InstalledCommittee decode(byte[] v) {
    if (v.length < 13)
      throw new IllegalArgumentException("stored committee is " + v.length + " bytes");
    ByteBuffer b = ByteBuffer.wrap(v);
    long index = Integer.toUnsignedLong(b.getInt());
    long at = b.getLong();
    int n = b.get() & 0xFF;
    if (v.length < 13 + n * Address.LENGTH)
      throw new IllegalArgumentException(
          "stored committee of " + n + " members is only " + v.length + " bytes");
    List<Address> members = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int off = 13 + i * Address.LENGTH;
      members.add(Address.wrap(Arrays.copyOfRange(v, off, off + Address.LENGTH)));
    }
    byte[] att = Arrays.copyOfRange(v, 13 + n * Address.LENGTH, v.length);
    return new InstalledCommittee(index, members, at, att);
  }
}
