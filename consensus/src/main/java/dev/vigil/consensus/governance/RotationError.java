package dev.vigil.consensus.governance;

/** Why a committee rotation payload or governance attestation is refused. */
public enum RotationError {
  // payload decoding
  /** The payload is shorter or longer than its fields say; the detail names the field. */
  BAD_LENGTH,
  /** The module is not "Core" left-padded to 32 bytes. */
  WRONG_MODULE,
  /** The action is not 2 (guardian-set upgrade). */
  WRONG_ACTION,
  /** The new committee has no members. */
  ZERO_MEMBERS,
  /** An address appears twice in the new committee. */
  DUPLICATE_MEMBER,
  /** A member is the zero address (what a failed ecrecover returns on chain). */
  ZERO_ADDRESS_MEMBER,
  // governance validity
  /** The attestation's emitter is not the configured governance emitter. */
  WRONG_EMITTER,
  /** The payload targets a chain other than 0 (all) or this chain. */
  WRONG_TARGET_CHAIN,
  /** The attestation is not signed by the current committee. */
  WRONG_SIGNING_COMMITTEE,
  /** newIndex is not current + 1. */
  WRONG_NEW_INDEX
}
