package dev.vigil.storage;

import static dev.vigil.storage.TestData.digest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.signing.Digest;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningDecisionTest {
  @ParameterizedTest(name = "recorded={0}, proposed={1} -> {2}")
  @CsvSource({
    "-, A, ALLOW_NEW, true",
    "A, A, ALLOW_SAME, true",
    "A, B, REFUSE_CONFLICT, false",
  })
  void decides(String recorded, String proposed, SigningDecision expected, boolean allows) {
    Optional<Digest> existing =
        recorded.equals("-") ? Optional.empty() : Optional.of(digest(recorded));
    SigningDecision d = SigningDecision.decide(existing, digest(proposed));
    assertThat(d).isEqualTo(expected);
    assertThat(d.allowsSigning()).isEqualTo(allows);
  }
}
