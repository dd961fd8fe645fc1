package dev.vigil.consensus.attestation;

/** Why an attestation or a single guardian signature is not valid; each names the rule it broke. */
public enum RejectReason {
  TRUNCATED(
      "the input holds every field: 6-byte header, n × 66-byte signatures, a body of at least 51 bytes"),
  WRONG_VERSION("the version is 1"),
  UNKNOWN_COMMITTEE("the committee index is known (and not newer than the current committee)"),
  EXPIRED_COMMITTEE("the committee is current or was replaced less than the expiry window ago"),
  TOO_FEW_SIGNATURES("there are at least quorum(n) = floor(2n/3) + 1 signatures"),
  INDICES_NOT_ASCENDING("signer indices are strictly ascending (no duplicates)"),
  INDEX_OUT_OF_RANGE("every signer index is inside the committee"),
  BAD_SIGNATURE(
      "every signature is canonical (1 <= r, s < n, s <= n/2, v in {0, 1}) and recovers a public key"),
  WRONG_SIGNER("every signature recovers to the committee member at its signer index"),
  NO_GROUP_KEY("(v2) the committee at the group key index has a group key (made by its DKG)"),
  BAD_THRESHOLD_SIGNATURE(
      "(v2) the FROST signature (R, z) is well formed and verifies under the committee's group key");

  private final String rule;

  RejectReason(String rule) {
    this.rule = rule;
  }

  /** The rule, phrased as what a valid attestation satisfies. */
  public String rule() {
    return rule;
  }
}
