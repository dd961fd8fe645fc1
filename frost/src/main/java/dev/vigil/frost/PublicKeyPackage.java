package dev.vigil.frost;

import dev.vigil.signing.Hex;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What everyone may know about a FROST key: the group public key, each participant's verifying
 * share (33-byte compressed points) and the threshold. The coordinator needs it to aggregate and to
 * name participants whose shares are wrong.
 */
public final class PublicKeyPackage {
  private final byte[] groupKey;
  private final TreeMap<Integer, byte[]> verifyingShares = new TreeMap<>();
  private final int minSigners;

  /**
   * @throws IllegalArgumentException naming the bad point or participant, or a threshold outside
   *     [2, number of participants]
   */
  public PublicKeyPackage(byte[] groupKey, Map<Integer, byte[]> verifyingShares, int minSigners) {
    this.groupKey = Ciphersuite.checkElement(groupKey, "group public key");
    for (Map.Entry<Integer, byte[]> e : verifyingShares.entrySet()) {
      int id = Ciphersuite.checkIdentifier(e.getKey());
      this.verifyingShares.put(
          id, Ciphersuite.checkElement(e.getValue(), "verifying share of participant " + id));
    }
    KeyGeneration.checkThreshold(minSigners, verifyingShares.size());
    this.minSigners = minSigners;
  }

  /** The group public key, 33 bytes compressed. */
  public byte[] groupKey() {
    return groupKey.clone();
  }

  /**
   * The verifying share of a participant.
   *
   * @throws IllegalArgumentException when the participant is not part of this key
   */
  public byte[] verifyingShare(int identifier) {
    byte[] s = verifyingShares.get(identifier);
    if (s == null) {
      throw new IllegalArgumentException(
          "participant "
              + identifier
              + " is not part of this key (participants "
              + participants()
              + ")");
    }
    return s.clone();
  }

  /** The participants' identifiers, ascending. */
  public SortedSet<Integer> participants() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(verifyingShares.keySet()));
  }

  public int minSigners() {
    return minSigners;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PublicKeyPackage p)) return false;
    if (p.minSigners != minSigners || !Arrays.equals(p.groupKey, groupKey)) return false;
    if (!p.verifyingShares.keySet().equals(verifyingShares.keySet())) return false;
    for (var e : verifyingShares.entrySet()) {
      if (!Arrays.equals(e.getValue(), p.verifyingShares.get(e.getKey()))) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupKey) * 31 + verifyingShares.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "PublicKeyPackage[group key "
        + Hex.encode(groupKey)
        + ", "
        + minSigners
        + "-of-"
        + verifyingShares.size()
        + "]";
  }
}
