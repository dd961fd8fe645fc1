package dev.vigil.devnet.chaos;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.devnet.Devnet;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What guardians served just before the harness SIGKILLed them, to be served again, with the same
 * digest, after.
 */
final class Durability {
  private static final int SAMPLE = 20;

  private final Devnet devnet;
  private final Probe probe;

  /**
   * Which messages to sample: apart from the schedule's generator, since how much it draws depends
   * on timing.
   */
  private final Random sampling;

  private final Map<Integer, Map<MessageId, Digest>> servedBeforeKill =
      new HashMap<>(); // guardian → (message → digest)

  Durability(Devnet devnet, Probe probe, long seed) {
    this.devnet = devnet;
    this.probe = probe;
    this.sampling = new Random(~seed);
  }

  /** Records up to 20 attestations guardian {@code g} serves now; call just before killing it. */
  synchronized void recordServed(int g) {
    List<MessageId> ids = new ArrayList<>(devnet.publishedIds());
    Collections.shuffle(ids, sampling);
    Map<MessageId, Digest> served = servedBeforeKill.computeIfAbsent(g, x -> new HashMap<>());
    int n = 0;
    for (MessageId id : ids) {
      if (n >= SAMPLE) break;
      Optional<Attestation> a = probe.attestation(g, id);
      if (a.isPresent()) {
        served.put(id, a.get().digest());
        n++;
      }
    }
  }

  /** Every digest recorded, by message: for the safety check, as one more source of digests. */
  synchronized Map<MessageId, List<Digest>> recordedDigests() {
    Map<MessageId, List<Digest>> out = new HashMap<>();
    servedBeforeKill
        .values()
        .forEach(m -> m.forEach((id, d) -> out.computeIfAbsent(id, x -> new ArrayList<>()).add(d)));
    return out;
  }

  synchronized Report.Invariant check() {
    int recorded = 0;
    int kept = 0;
    String lost = "";
    for (Map.Entry<Integer, Map<MessageId, Digest>> e : servedBeforeKill.entrySet()) {
      for (Map.Entry<MessageId, Digest> m : e.getValue().entrySet()) {
        recorded++;
        Optional<Attestation> now = probe.attestation(e.getKey(), m.getKey());
        if (now.isPresent() && now.get().digest().equals(m.getValue())) kept++;
        else if (lost.isEmpty())
          lost = " (first lost: guardian " + e.getKey() + ", " + m.getKey() + ")";
      }
    }
    return Report.Invariant.of(
        "durability",
        recorded > 0 && kept == recorded,
        String.format(
            "%d attestations served before a SIGKILL, %d served with the same digest after restart%s",
            recorded, kept, lost));
  }
}
