package dev.vigil.frost;

/**
 * A DKG message refused because of its sender: a bad proof of knowledge, a malformed or
 * misaddressed message, a duplicate. {@link #participant()} is the member it names; the message
 * never contains secret values.
 */
public final class DkgException extends IllegalArgumentException {
  private final int participant;

  public DkgException(int participant, String message) {
    super(message);
    this.participant = participant;
  }

  /** The participant whose message was refused. */
  public int participant() {
    return participant;
  }
}
