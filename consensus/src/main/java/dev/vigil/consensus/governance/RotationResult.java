package dev.vigil.consensus.governance;

import java.util.Objects;

/** A decoded, acceptable {@link CommitteeRotation}, or the error and a detail naming the field. */
public sealed interface RotationResult {
  record Ok(CommitteeRotation rotation) implements RotationResult {
    public Ok {
      Objects.requireNonNull(rotation, "rotation");
    }
  }

  record Err(RotationError error, String detail) implements RotationResult {
    public Err {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return error + ": " + detail;
    }
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The rotation, or IllegalArgumentException carrying the error and detail. */
  default CommitteeRotation orElseThrow() {
    return switch (this) {
      case Ok ok -> ok.rotation();
      case Err err -> throw new IllegalArgumentException(err.toString());
    };
  }
}
