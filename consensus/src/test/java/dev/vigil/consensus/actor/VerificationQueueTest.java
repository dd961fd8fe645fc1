package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.aggregation.Priority;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Secp256k1Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerificationQueueTest {
  static final TestCommittee KEYS =
      TestCommittee.create(new Random(4), 1, 4, Secp256k1Backends.bouncyCastle());
  static final List<Observation> OBS = Observations.generate(4, 12, 8);

  static SignedObservation signed(int i, Observation o) {
    return SignedObservation.of(1, i, o.body(), KEYS.sign(i, o.digest()).signature(), o.txHash());
  }

  @Test
  void observedFirstThenUnseenThenSuspectAndAnObservedMessageMovesAhead() {
    VerificationQueue q = new VerificationQueue();
    SignedObservation suspect = signed(3, OBS.get(0));
    SignedObservation unseenA = signed(1, OBS.get(1));
    SignedObservation unseenB = signed(2, OBS.get(2));
    SignedObservation observed = signed(1, OBS.get(3));
    q.add(suspect, Priority.SUSPECT);
    q.add(unseenA, Priority.UNSEEN);
    q.add(unseenB, Priority.UNSEEN);
    q.add(observed, Priority.OBSERVED);
    assertThat(q.size()).isEqualTo(4);
    q.promote(OBS.get(2).messageId()); // observed here meanwhile

    List<VerificationQueue.Taken> order = new ArrayList<>();
    for (VerificationQueue.Taken t = q.poll(); t != null; t = q.poll()) order.add(t);
    assertThat(order)
        .containsExactly(
            new VerificationQueue.Taken(observed, Priority.OBSERVED),
            new VerificationQueue.Taken(unseenB, Priority.OBSERVED),
            new VerificationQueue.Taken(unseenA, Priority.UNSEEN),
            new VerificationQueue.Taken(suspect, Priority.SUSPECT));
    assertThat(q.isEmpty()).isTrue();
  }
}
