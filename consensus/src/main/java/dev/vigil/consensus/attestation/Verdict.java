package dev.vigil.consensus.attestation;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verification: {@link Valid}, or {@link Rejected} with the rule and what broke it.
 */
public sealed interface Verdict {
  Verdict VALID = new Valid();

  record Valid() implements Verdict {}

  record Rejected(RejectReason reason, String detail) implements Verdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return reason + ": " + detail + " (rule: " + reason.rule() + ")";
    }
  }

  static Verdict rejected(RejectReason reason, String detail) {
    return new Rejected(reason, detail);
  }

  default boolean isValid() {
    return this instanceof Valid;
  }

  default Optional<RejectReason> rejectReason() {
    return this instanceof Rejected r ? Optional.of(r.reason()) : Optional.empty();
  }
}
