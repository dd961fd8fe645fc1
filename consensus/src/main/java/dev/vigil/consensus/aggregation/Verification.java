package dev.vigil.consensus.aggregation;

/**
 * The outcome of checking a peer's signature against the committee.
 *
 * @param valid the signature recovers to the member at the claimed index
 * @param recoveredIndex the member index the signature recovers to, or -1 when it recovers to no
 *     member (or to nothing); when valid is false and this is >= 0, that member signed while
 *     claiming someone else's index
 */
public record Verification(boolean valid, int recoveredIndex) {
  public static final Verification VALID = new Verification(true, -1);
  public static final Verification NOT_A_MEMBER = new Verification(false, -1);

  public static Verification impersonatedBy(int member) {
    return new Verification(false, member);
  }
}
