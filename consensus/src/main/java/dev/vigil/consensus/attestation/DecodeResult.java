package dev.vigil.consensus.attestation;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of decoding untrusted bytes: {@link Ok} with the value, or {@link Err} with a reason
 * and a detail that names the field and offset. Decoders that return this never throw on any input.
 */
public sealed interface DecodeResult<T> {

  /** Why bytes could not be decoded. */
  enum Reason {
    /** The input ends before a field it must contain (includes a body shorter than 51 bytes). */
    TRUNCATED,
    /** The version byte is not 1. */
    WRONG_VERSION,
    /** A signature's recovery id is not 0 or 1 (e.g. Ethereum's 27/28). */
    BAD_RECOVERY_ID
  }

  record Ok<T>(T value) implements DecodeResult<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  record Err<T>(Reason reason, String detail) implements DecodeResult<T> {
    public Err {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  default Optional<T> toOptional() {
    return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
  }

  /** The value, or IllegalArgumentException carrying the reason and detail (for trusted input). */
  default T orElseThrow() {
    return switch (this) {
      case Ok<T> ok -> ok.value();
      case Err<T> err -> throw new IllegalArgumentException(err.reason() + ": " + err.detail());
    };
  }
}
