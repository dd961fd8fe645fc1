package dev.vigil.consensus.observation;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import java.util.Objects;
import java.util.Optional;

/**
 * One guardian's signature over one message's digest: what guardians exchange. Between guardians it
 * travels without the body (message identity, digest, signature and source transaction only): every
 * guardian reads the body from its own chain, and a signature counts towards a quorum only for the
 * digest of the body this guardian observed itself, so a claimed identity that does not match its
 * digest can never produce an attestation. The body is kept where it is known (an own observation;
 * evidence, where it makes the signature checkable by anyone against its message).
 */
public final class SignedObservation {
  /** Bytes one entry takes on the wire at most, besides its framing (ids, digest, signature). */
  public static final int WIRE_BYTES =
      6
          + 6
          + MessageId.ENCODED_LENGTH
          + 2
          + Digest.LENGTH
          + 2
          + Signature.LENGTH
          + 2
          + Bytes32.LENGTH
          + 2;

  private final long committeeIndex;
  private final int signerIndex;
  private final MessageId messageId;
  private final Digest digest;
  private final Body body; // null when not known here
  private final Signature signature;
  private final Bytes32 txHash;

  private SignedObservation(
      long committeeIndex,
      int signerIndex,
      MessageId messageId,
      Digest digest,
      Body body,
      Signature signature,
      Bytes32 txHash) {
    checkIndices(committeeIndex, signerIndex);
    this.committeeIndex = committeeIndex;
    this.signerIndex = signerIndex;
    this.messageId = Objects.requireNonNull(messageId, "messageId");
    this.digest = Objects.requireNonNull(digest, "digest");
    this.body = body;
    this.signature = Objects.requireNonNull(signature, "signature");
    this.txHash = Objects.requireNonNull(txHash, "txHash");
  }

  /** A signature over a body at hand (its digest is computed: two Keccak-256 runs). */
  public static SignedObservation of(
      long committeeIndex, int signerIndex, Body body, Signature signature, Bytes32 txHash) {
    return of(committeeIndex, signerIndex, body, body.digest(), signature, txHash);
  }

  /** For callers that already hold {@code body.digest()}. */
  public static SignedObservation of(
      long committeeIndex,
      int signerIndex,
      Body body,
      Digest digestOfBody,
      Signature signature,
      Bytes32 txHash) {
    Objects.requireNonNull(body, "body");
    return new SignedObservation(
        committeeIndex, signerIndex, body.messageId(), digestOfBody, body, signature, txHash);
  }

  /** As received from a peer: identity and digest as claimed, no body. */
  public static SignedObservation ofDigest(
      long committeeIndex,
      int signerIndex,
      MessageId messageId,
      Digest digest,
      Signature signature,
      Bytes32 txHash) {
    return new SignedObservation(
        committeeIndex, signerIndex, messageId, digest, null, signature, txHash);
  }

  private static void checkIndices(long committeeIndex, int signerIndex) {
    if (committeeIndex < 0 || committeeIndex > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("committee index must be a u32, got " + committeeIndex);
    }
    if (signerIndex < 0 || signerIndex > 254) {
      throw new IllegalArgumentException("signer index must be 0..254, got " + signerIndex);
    }
  }

  public long committeeIndex() {
    return committeeIndex;
  }

  public int signerIndex() {
    return signerIndex;
  }

  /** The body, when it is known here (an own observation, or attached from one). */
  public Optional<Body> body() {
    return Optional.ofNullable(body);
  }

  /**
   * This signature with {@code knownBody} attached, if {@code digestOfKnownBody} (that body's
   * digest) is the digest signed here and the identities agree; otherwise this signature unchanged.
   */
  public SignedObservation withBodyIfSigned(Body knownBody, Digest digestOfKnownBody) {
    if (body != null
        || knownBody == null
        || !digest.equals(digestOfKnownBody)
        || !messageId.equals(knownBody.messageId())) return this;
    return new SignedObservation(
        committeeIndex, signerIndex, messageId, digest, knownBody, signature, txHash);
  }

  /** As sent to peers: the same signature without the body. */
  public SignedObservation withoutBody() {
    return body == null
        ? this
        : new SignedObservation(
            committeeIndex, signerIndex, messageId, digest, null, signature, txHash);
  }

  public Digest digest() {
    return digest;
  }

  public Signature signature() {
    return signature;
  }

  public Bytes32 txHash() {
    return txHash;
  }

  public MessageId messageId() {
    return messageId;
  }

  public GuardianSignature guardianSignature() {
    return new GuardianSignature(signerIndex, signature);
  }

  /** Equal signatures: same signer, committee, identity, digest, signature and transaction. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SignedObservation x
        && committeeIndex == x.committeeIndex
        && signerIndex == x.signerIndex
        && messageId.equals(x.messageId)
        && digest.equals(x.digest)
        && signature.equals(x.signature)
        && txHash.equals(x.txHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(committeeIndex, signerIndex, digest, signature);
  }

  @Override
  public String toString() {
    return "SignedObservation["
        + messageId
        + ", signer "
        + signerIndex
        + ", committee "
        + committeeIndex
        + ", digest "
        + digest
        + "]";
  }
}
