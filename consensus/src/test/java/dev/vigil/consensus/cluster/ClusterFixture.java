package dev.vigil.consensus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.signing.Secp256k1Backends;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Helpers for the cluster ITs: faster retries than production, and outcome checks. */
final class ClusterFixture {
  private ClusterFixture() {}

  /** Production defaults, but retries within a second so that a test does not wait minutes. */
  static Config fastRetries() {
    return ConfigFactory.parseString(
        """
        vigil.consensus.retry-initial = 1s
        vigil.consensus.retry-max = 5s
        vigil.consensus.resend-interval = 1s
        vigil.consensus.heartbeat-interval = 500ms
        """);
  }

  /** Polls until the condition holds; fails with the message after the (generous) timeout. */
  static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      Thread.sleep(250);
    }
  }

  /** How many of the messages member i has a stored attestation for. */
  static long storedCount(LocalCommittee c, int i, List<Observation> messages) {
    return messages.stream().filter(o -> c.storedAttestation(i, o.messageId()).isPresent()).count();
  }

  /**
   * Every message has, at member i, a stored attestation of exactly its body that the verifier
   * accepts.
   */
  static void assertAllAttested(LocalCommittee c, int i, List<Observation> messages) {
    AttestationVerifier verifier = new AttestationVerifier(CommitteeHistory.of(c.committee()));
    for (Observation o : messages) {
      Optional<Attestation> a = c.storedAttestation(i, o.messageId());
      assertThat(a).as("member %d holds an attestation for %s", i, o.messageId()).isPresent();
      assertThat(a.get().body()).as("attested body of %s", o.messageId()).isEqualTo(o.body());
      Verdict v = verifier.verify(a.get());
      assertThat(v.isValid())
          .as("member %d's attestation for %s is valid: %s", i, o.messageId(), v)
          .isTrue();
    }
  }

  static Object backend() {
    return Secp256k1Backends.preferred();
  }
}
