package dev.vigil.devnet.chaos;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.devnet.Devnet;
import dev.vigil.devnet.chaos.Report.Invariant;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.testing.process.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The invariants, checked against every guardian's API and the destination contracts once the
 * faults are over: safety, liveness, durability, the stalls, the partitions, the disks, and that no
 * guardian exited by itself.
 */
final class Invariants {
  private final Scene scene;
  private final Duration settle;

  /** Why disk faults were not injected (no root, no loop devices), or null. */
  private final String diskSkipped;

  Invariants(Scene scene, Duration settle, String diskSkipped) {
    this.scene = scene;
    this.settle = settle;
    this.diskSkipped = diskSkipped;
  }

  /**
   * @param recovery from the last heal until every guardian held every message; null if that never
   *     happened
   */
  Report check(long seed, Duration recovery) {
    Devnet d = scene.devnet();
    Probe probe = scene.probe();
    int nodes = scene.nodes();
    scene.log().say("checking invariants");
    List<Invariant> inv = new ArrayList<>();
    String notReady = null;
    try {
      d.awaitReady(Duration.ofMinutes(2));
    } catch (IllegalStateException e) {
      notReady = e.getMessage();
    }
    List<MessageId> ids = d.publishedIds();
    AttestationVerifier verifier =
        new AttestationVerifier(
            CommitteeHistory.of(
                new Committee(0, IntStream.range(0, nodes).mapToObj(DevKeys::address).toList())));
    Map<MessageId, Set<Digest>> digests = new LinkedHashMap<>();
    scene
        .durability()
        .recordedDigests()
        .forEach((id, ds) -> digests.computeIfAbsent(id, x -> new HashSet<>()).addAll(ds));
    List<String> invalid = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long attestedByAll = 0;
    for (MessageId id : ids) {
      boolean all = true;
      for (int g = 0; g < nodes; g++) {
        Optional<byte[]> raw = probe.rawAttestation(g, id);
        if (raw.isEmpty()) {
          all = false;
          if (missing.size() < 5) missing.add("guardian " + g + " has no attestation for " + id);
          continue;
        }
        Verdict v = verifier.verify(raw.get());
        Optional<Attestation> a = AttestationCodec.decode(raw.get()).toOptional();
        if (v != Verdict.VALID || a.isEmpty() || !a.get().messageId().equals(id)) {
          invalid.add("guardian " + g + ", " + id + ": " + v);
          continue;
        }
        digests.computeIfAbsent(id, x -> new HashSet<>()).add(a.get().digest());
      }
      if (all) attestedByAll++;
    }
    long conflicting = digests.values().stream().filter(s -> s.size() > 1).count();
    // Signatures the peers collected: a member that signed two digests for one message is kept as
    // evidence by whoever received both.
    long evidence = 0;
    List<Integer> unanswered = new ArrayList<>();
    for (int g = 0; g < nodes; g++) {
      long n = probe.evidenceTotal(g);
      if (n < 0) unanswered.add(g);
      else evidence += n;
    }
    inv.add(
        Invariant.of(
            "safety",
            invalid.isEmpty() && conflicting == 0 && evidence == 0 && unanswered.isEmpty(),
            String.format(
                "%d messages x %d guardians: %d invalid attestations, %d messages with more than one digest, %d equivocations kept as evidence%s%s",
                ids.size(),
                nodes,
                invalid.size(),
                conflicting,
                evidence,
                unanswered.isEmpty()
                    ? ""
                    : " (no evidence answer from guardians " + unanswered + ")",
                invalid.isEmpty() ? "" : " (first: " + invalid.getFirst() + ")")));

    long fromA = ids.stream().filter(m -> m.emitterChain() == Devnet.CHAIN_A).count();
    long recvB = d.receiver(1).receivedCount();
    long recvA = d.receiver(0).receivedCount();
    long gaveUp = d.relayer().snapshot().gaveUp();
    boolean live =
        recovery != null
            && missing.isEmpty()
            && recvB == fromA
            && recvA == ids.size() - fromA
            && gaveUp == 0
            && !ids.isEmpty();
    inv.add(
        Invariant.of(
            "liveness",
            live,
            String.format(
                "within %ds after the last fault: attested by every guardian %d/%d, received on beta %d/%d, on alpha %d/%d, relayer gave up %d%s",
                settle.toSeconds(),
                attestedByAll,
                ids.size(),
                recvB,
                fromA,
                recvA,
                ids.size() - fromA,
                gaveUp,
                missing.isEmpty() ? "" : " (" + missing.getFirst() + ")")));
    inv.add(scene.durability().check());
    inv.add(scene.findings().quorumLoss);
    if (diskSkipped != null) {
      inv.add(Invariant.of("disk faults", true, "SKIPPED, not injected: " + diskSkipped));
    } else if (!scene.findings().diskResults.isEmpty()) {
      inv.add(
          Invariant.of(
              "disk faults",
              scene.findings().diskPass,
              String.join("; ", scene.findings().diskResults)));
    }
    inv.addAll(scene.findings().partitionInvariants(probe.peersSeen()));
    inv.add(stayedUp(d.unexpectedExits(), notReady));

    List<Duration> sorted = d.attestLatencies().values().stream().sorted().toList();
    Duration p99 =
        sorted.isEmpty()
            ? Duration.ZERO
            : sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
    Duration max = sorted.isEmpty() ? Duration.ZERO : sorted.getLast();
    return new Report(
        seed,
        nodes,
        scene.log().faults(),
        ids.size(),
        attestedByAll,
        d.delivered(),
        p99,
        max,
        recovery,
        inv,
        scene.log().faultLog());
  }

  /** No guardian exited unless the harness stopped it, and every one is ready at the end. */
  static Invariant stayedUp(List<NodeProcess.Exit> exits, String notReady) {
    if (exits.isEmpty() && notReady == null) {
      return Invariant.of(
          "guardians up",
          true,
          "no guardian exited unless the harness stopped it; every one ready at the end");
    }
    List<String> why = new ArrayList<>();
    exits.stream()
        .map(e -> e.name() + " exited by itself with exit code " + e.exitCode())
        .forEach(why::add);
    if (notReady != null) why.add(notReady.lines().findFirst().orElse(notReady));
    return Invariant.of("guardians up", false, String.join("; ", why));
  }
}
