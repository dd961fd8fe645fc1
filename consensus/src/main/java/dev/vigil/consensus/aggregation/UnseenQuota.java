package dev.vigil.consensus.aggregation;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Each signer's quota of messages not observed here: at most {@code maxMessages} messages and
 * {@code maxBytes} body bytes for which its signature is held or being checked. A message holds its
 * slots in a {@link Slots}; they are given back when the message is observed, attested or
 * forgotten. Signatures that find no room are dropped and counted.
 */
final class UnseenQuota {
  private final int maxMessages;
  private final long maxBytes;
  private final int[] messages;
  private final long[] bytes;
  private final long[] peak;
  private final long[] droppedBySigner;
  private long dropped;

  /** The slots one not-yet-observed message holds against its signers' quotas. */
  static final class Slots {
    private final BitSet counted = new BitSet();
    private final int[] bytes;

    Slots(int n) {
      this.bytes = new int[n];
    }

    boolean holds(int signer) {
      return counted.get(signer);
    }
  }

  UnseenQuota(int n, int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.messages = new int[n];
    this.bytes = new long[n];
    this.peak = new long[n];
    this.droppedBySigner = new long[n];
  }

  /** Whether the signer's quota has room for one more message of {@code bodyBytes}. */
  boolean hasRoom(int signer, int bodyBytes) {
    return messages[signer] < maxMessages && bytes[signer] + bodyBytes <= maxBytes;
  }

  /** Whether the signer may hold a slot in this message: it holds one already, or has room. */
  boolean admits(Slots slots, int signer, int bodyBytes) {
    return slots.holds(signer) || hasRoom(signer, bodyBytes);
  }

  /** Counts the signer's slot in the message against its quota (once). */
  void reserve(Slots slots, int signer, int bodyBytes) {
    if (slots.counted.get(signer)) return;
    slots.counted.set(signer);
    messages[signer]++;
    slots.bytes[signer] = bodyBytes;
    bytes[signer] += bodyBytes;
    if (messages[signer] > peak[signer]) peak[signer] = messages[signer];
  }

  void release(Slots slots, int signer) {
    if (!slots.counted.get(signer)) return;
    slots.counted.clear(signer);
    messages[signer]--;
    bytes[signer] -= slots.bytes[signer];
    slots.bytes[signer] = 0;
  }

  void releaseAll(Slots slots) {
    for (int i = slots.counted.nextSetBit(0); i >= 0; i = slots.counted.nextSetBit(i + 1)) {
      messages[i]--;
      bytes[i] -= slots.bytes[i];
      slots.bytes[i] = 0;
    }
    slots.counted.clear();
  }

  /** A signature was dropped for want of room in its signer's quota. */
  void dropped(int signer) {
    dropped++;
    droppedBySigner[signer]++;
  }

  long dropped() {
    return dropped;
  }

  List<Long> droppedBySigner() {
    return boxed(droppedBySigner);
  }

  List<Long> messagesBySigner() {
    return Arrays.stream(messages).asLongStream().boxed().toList();
  }

  List<Long> bytesBySigner() {
    return boxed(bytes);
  }

  List<Long> peakBySigner() {
    return boxed(peak);
  }

  private static List<Long> boxed(long[] a) {
    return Arrays.stream(a).boxed().toList();
  }
}
