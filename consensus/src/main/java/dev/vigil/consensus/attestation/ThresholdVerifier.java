package dev.vigil.consensus.attestation;

import dev.vigil.frost.Frost;
import dev.vigil.frost.FrostSignature;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Whether an attestation v2 is valid: its committee known and not expired (as for v1, through
 * {@link AttestationVerifier#checkCommittee}), a group key for that committee, and the FROST
 * signature verifying under it over the body's digest. Every rejection names its reason.
 */
public final class ThresholdVerifier {
  private final AttestationVerifier committees;
  private final LongFunction<Optional<byte[]>> groupKeys;
  private final Frost frost;

  /**
   * @param groupKeys the 33-byte compressed group key of each committee index that has one
   */
  public ThresholdVerifier(
      AttestationVerifier committees, LongFunction<Optional<byte[]>> groupKeys, Frost frost) {
    this.committees = Objects.requireNonNull(committees, "committees");
    this.groupKeys = Objects.requireNonNull(groupKeys, "groupKeys");
    this.frost = Objects.requireNonNull(frost, "frost");
  }

  public Verdict verify(byte[] encoded) {
    return switch (ThresholdAttestation.decode(encoded)) {
      case DecodeResult.Ok<ThresholdAttestation> ok -> verify(ok.value());
      case DecodeResult.Err<ThresholdAttestation> err ->
          Verdict.rejected(
              err.reason() == DecodeResult.Reason.WRONG_VERSION
                  ? RejectReason.WRONG_VERSION
                  : RejectReason.TRUNCATED,
              err.detail());
    };
  }

  public Verdict verify(ThresholdAttestation a) {
    Verdict usable = committees.checkCommittee(a.groupKeyIndex());
    if (!usable.isValid()) return usable;
    Optional<byte[]> key = groupKeys.apply(a.groupKeyIndex());
    if (key.isEmpty())
      return Verdict.rejected(
          RejectReason.NO_GROUP_KEY,
          "committee "
              + a.groupKeyIndex()
              + " has no group key (threshold mode is not set up for it)");
    FrostSignature sig;
    try {
      sig = FrostSignature.fromBytes(a.signature());
    } catch (IllegalArgumentException e) {
      return Verdict.rejected(RejectReason.BAD_THRESHOLD_SIGNATURE, e.getMessage());
    }
    boolean ok;
    try {
      ok = frost.verify(sig, a.digest().toBytes(), key.get());
    } catch (IllegalArgumentException e) {
      return Verdict.rejected(RejectReason.BAD_THRESHOLD_SIGNATURE, e.getMessage());
    }
    return ok
        ? Verdict.VALID
        : Verdict.rejected(
            RejectReason.BAD_THRESHOLD_SIGNATURE,
            "the signature does not verify under committee "
                + a.groupKeyIndex()
                + "'s group key over digest "
                + a.digest().toHex());
  }
}
