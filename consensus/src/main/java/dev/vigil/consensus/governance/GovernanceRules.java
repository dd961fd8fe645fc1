package dev.vigil.consensus.governance;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.signing.Bytes32;
import java.util.Objects;

/**
 * Which attestations count as governance, and when a committee rotation is acceptable: emitted by
 * the configured governance emitter, signed by the current committee, targeting chain 0 (all) or
 * this chain, and installing index current + 1.
 *
 * <p>This judges governance semantics only: the caller must first have verified the attestation's
 * signatures with {@link dev.vigil.consensus.attestation.AttestationVerifier}.
 */
public record GovernanceRules(int emitterChain, Bytes32 emitterAddress) {
  public GovernanceRules {
    if (emitterChain < 0 || emitterChain > 0xFFFF) {
      throw new IllegalArgumentException(
          "governance emitter chain must fit in u16, got " + emitterChain);
    }
    Objects.requireNonNull(emitterAddress, "emitterAddress");
  }

  /** Wormhole's governance messages carry consistency level 32. */
  public static final int CONSISTENCY_LEVEL = 32;

  /**
   * The body a rotation proposal is signed as: from the governance emitter, with the sequence,
   * nonce and timestamp the operators agreed on, so every guardian signs the very same digest.
   */
  public Body rotationBody(long sequence, long nonce, long timestamp, CommitteeRotation rotation) {
    return new Body(
        timestamp,
        nonce,
        emitterChain,
        emitterAddress,
        sequence,
        CONSISTENCY_LEVEL,
        rotation.encode());
  }

  public boolean isGovernance(Body body) {
    return body.emitterChain() == emitterChain && body.emitterAddress().equals(emitterAddress);
  }

  /** For a node, which serves every chain: the payload must target chain 0 (all chains). */
  public RotationResult checkRotation(Attestation verified, long currentCommitteeIndex) {
    return checkRotation(verified, currentCommitteeIndex, 0);
  }

  /**
   * Whether a guardian may sign {@code body}, injected by its operator, as a rotation of the
   * committee {@code currentCommitteeIndex} it serves now: from the governance emitter, a valid
   * rotation payload (module, action, members), for all chains (0), installing current + 1.
   */
  public RotationResult checkProposal(Body body, long currentCommitteeIndex) {
    RotationResult r = checkBody(body, 0);
    if (!(r instanceof RotationResult.Ok ok)) return r;
    return checkNewIndex(ok, currentCommitteeIndex);
  }

  /** For a verifier on one chain: the payload must target chain 0 or {@code localChain}. */
  public RotationResult checkRotation(
      Attestation verified, long currentCommitteeIndex, int localChain) {
    RotationResult r = checkBody(verified.body(), localChain);
    if (!(r instanceof RotationResult.Ok ok)) return r;
    if (verified.committeeIndex() != currentCommitteeIndex) {
      return GovernanceCodec.err(
          RotationError.WRONG_SIGNING_COMMITTEE,
          "rotation is signed by committee "
              + verified.committeeIndex()
              + ", it must be signed by the current committee "
              + currentCommitteeIndex);
    }
    return checkNewIndex(ok, currentCommitteeIndex);
  }

  private static RotationResult checkNewIndex(RotationResult.Ok ok, long currentCommitteeIndex) {
    if (ok.rotation().newIndex() != currentCommitteeIndex + 1) {
      return GovernanceCodec.err(
          RotationError.WRONG_NEW_INDEX,
          "rotation installs committee "
              + ok.rotation().newIndex()
              + ", expected "
              + (currentCommitteeIndex + 1)
              + " (current + 1)");
    }
    return ok;
  }

  private RotationResult checkBody(Body body, int localChain) {
    if (!isGovernance(body)) {
      return GovernanceCodec.err(
          RotationError.WRONG_EMITTER,
          "emitter is "
              + body.emitterChain()
              + "/"
              + body.emitterAddress()
              + ", governance emitter is "
              + emitterChain
              + "/"
              + emitterAddress);
    }
    RotationResult decoded = GovernanceCodec.decodeRotation(body.payload());
    if (!(decoded instanceof RotationResult.Ok ok)) return decoded;
    CommitteeRotation rotation = ok.rotation();
    if (rotation.targetChain() != 0 && rotation.targetChain() != localChain) {
      return GovernanceCodec.err(
          RotationError.WRONG_TARGET_CHAIN,
          "rotation targets chain "
              + rotation.targetChain()
              + ", expected 0 (all)"
              + (localChain != 0 ? " or " + localChain : ""));
    }
    return decoded;
  }
}
