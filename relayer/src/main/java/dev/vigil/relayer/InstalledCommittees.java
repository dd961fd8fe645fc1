package dev.vigil.relayer;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeSource;
import dev.vigil.consensus.attestation.RejectReason;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.MessageReceiverContract;
import dev.vigil.evm.VigilCoreContract;
import dev.vigil.signing.Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committees installed on one destination chain, read from its VigilCore (through the
 * receiver's {@code core()}) and kept: a committee index's members never change once installed. The
 * relayer checks every attestation against them before it takes the attestation's digest, so a bad
 * copy from one stream cannot claim the digest and keep the honest copies from being delivered.
 */
final class InstalledCommittees {
  private static final Logger log = LoggerFactory.getLogger(InstalledCommittees.class);

  private final String destination;
  private final EvmClient client;
  private final MessageReceiverContract receiver;
  private final Duration retryInitial;
  private final Duration retryMax;
  private final Map<Long, Committee> installed = new ConcurrentHashMap<>();
  private final AttestationVerifier verifier =
      new AttestationVerifier(
          new CommitteeSource() {
            // only verifySignatures is used: the committee is passed in, expiry is the
            // destination's to judge
            @Override
            public long currentIndex() {
              return 0;
            }

            @Override
            public Optional<Committee> committee(long index) {
              return Optional.empty();
            }

            @Override
            public Optional<Instant> replacedAt(long index) {
              return Optional.empty();
            }
          });
  private volatile VigilCoreContract core;

  InstalledCommittees(
      String destination,
      EvmClient client,
      MessageReceiverContract receiver,
      Duration retryInitial,
      Duration retryMax) {
    this.destination = destination;
    this.client = client;
    this.receiver = receiver;
    this.retryInitial = retryInitial;
    this.retryMax = retryMax;
  }

  /**
   * Whether {@code a}'s signatures are a quorum of the committee it names, as installed on the
   * destination. Waits (with backoff) while the destination cannot be asked: nothing is dropped
   * because an RPC endpoint is down.
   */
  Verdict verify(Attestation a) throws InterruptedException {
    Committee c = committee(a.committeeIndex());
    if (c == null) c = awaitRotation(a.committeeIndex());
    if (c == null) {
      return Verdict.rejected(
          RejectReason.UNKNOWN_COMMITTEE,
          "committee " + a.committeeIndex() + " is not installed on " + destination);
    }
    return verifier.verifySignatures(c, a.digest(), a.signatures());
  }

  /** How long an attestation of the next committee waits for that committee's installation. */
  static final Duration ROTATION_WAIT = Duration.ofMinutes(2);

  /**
   * An attestation of committee current + 1: the rotation that installs it is on its way (the
   * relayer submits rotations as they are attested), so it waits for it rather than being dropped.
   * Any other unknown index is refused at once.
   */
  private Committee awaitRotation(long index) throws InterruptedException {
    long current;
    try {
      if (core == null) core = VigilCoreContract.at(client, receiver.core());
      current = core.currentCommitteeIndex();
    } catch (RuntimeException e) {
      return null;
    }
    if (index != current + 1) return null;
    log.info(
        "an attestation of committee {} waits for that committee to be installed on {} (current {}): a rotation",
        index,
        destination,
        current);
    long deadline = System.nanoTime() + ROTATION_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      Committee c = committee(index);
      if (c != null) return c;
    }
    log.warn(
        "committee {} was not installed on {} within {} s; the attestation is dropped (a reconnection replays it)",
        index,
        destination,
        ROTATION_WAIT.toSeconds());
    return null;
  }

  private Committee committee(long index) throws InterruptedException {
    Committee known = installed.get(index);
    if (known != null) return known;
    for (int attempt = 0; ; attempt++) {
      try {
        if (core == null) core = VigilCoreContract.at(client, receiver.core());
        List<Address> members = core.committeeMembers(index);
        if (members.isEmpty()) return null; // not installed (yet): asked again next time
        Committee c = new Committee(index, members);
        installed.put(index, c);
        return c;
      } catch (RuntimeException e) {
        Duration wait =
            Backoff.delay(retryInitial, retryMax, attempt + 1, ThreadLocalRandom.current());
        if (attempt == 0)
          log.warn(
              "cannot read committee {} from {} to check attestations ({}); retrying",
              index,
              destination,
              e.getMessage());
        Thread.sleep(wait.toMillis());
      }
    }
  }
}
