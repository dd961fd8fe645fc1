package dev.vigil.consensus.observation;

import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Digest;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.Signature;
import java.util.Objects;

/**
 * One guardian's signature over one observed body, as exchanged between guardians. The digest is
 * always derived from the body here (never taken from the wire), so a signature and the message
 * identity it claims cannot disagree; two of these from one signer for one message identity are
 * self-contained equivocation evidence.
 */
public final class SignedObservation {
  private final long committeeIndex;
  private final int signerIndex;
  private final Body body;
  // Computed on first use for signatures from the wire: many are dropped before anyone needs it,
  // and hashing a large body (up to a frame, 2 MiB) is the costliest part of decoding one.
  private volatile Digest digest;
  private final Signature signature;
  private final Bytes32 txHash;

  private SignedObservation(
      long committeeIndex,
      int signerIndex,
      Body body,
      Digest digest,
      Signature signature,
      Bytes32 txHash) {
    this.committeeIndex = committeeIndex;
    this.signerIndex = signerIndex;
    this.body = body;
    this.digest = digest;
    this.signature = signature;
    this.txHash = txHash;
  }

  public static SignedObservation of(
      long committeeIndex, int signerIndex, Body body, Signature signature, Bytes32 txHash) {
    return of(committeeIndex, signerIndex, body, body.digest(), signature, txHash);
  }

  /**
   * As received from a peer: the digest is computed from the body when first asked for (then
   * cached), so a signature that is dropped unchecked never costs the hashing.
   */
  public static SignedObservation unhashed(
      long committeeIndex, int signerIndex, Body body, Signature signature, Bytes32 txHash) {
    checkIndices(committeeIndex, signerIndex);
    return new SignedObservation(
        committeeIndex,
        signerIndex,
        Objects.requireNonNull(body, "body"),
        null,
        Objects.requireNonNull(signature, "signature"),
        Objects.requireNonNull(txHash, "txHash"));
  }

  /** For callers that already hold {@code body.digest()} (it costs two Keccak-256 runs). */
  public static SignedObservation of(
      long committeeIndex,
      int signerIndex,
      Body body,
      Digest digestOfBody,
      Signature signature,
      Bytes32 txHash) {
    checkIndices(committeeIndex, signerIndex);
    return new SignedObservation(
        committeeIndex,
        signerIndex,
        Objects.requireNonNull(body, "body"),
        Objects.requireNonNull(digestOfBody, "digest"),
        Objects.requireNonNull(signature, "signature"),
        Objects.requireNonNull(txHash, "txHash"));
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

  public Body body() {
    return body;
  }

  public Digest digest() {
    Digest d = digest;
    if (d == null) {
      d = body.digest(); // Digest is immutable: a racing second computation is harmless
      digest = d;
    }
    return d;
  }

  /**
   * Takes {@code knownDigest} as this signature's digest without hashing, if it is not known yet
   * and this body equals {@code knownBody}, whose digest it must be (e.g. the local observation's):
   * equal bodies have equal digests, and comparing bytes costs far less than two Keccak-256 runs.
   * With another body nothing changes, and the digest is computed from this body when needed.
   */
  public void digestIfSameBody(Body knownBody, Digest knownDigest) {
    if (digest == null && body.equals(knownBody)) digest = knownDigest;
  }

  public Signature signature() {
    return signature;
  }

  public Bytes32 txHash() {
    return txHash;
  }

  public MessageId messageId() {
    return body.messageId();
  }

  public GuardianSignature guardianSignature() {
    return new GuardianSignature(signerIndex, signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedObservation x
        && committeeIndex == x.committeeIndex
        && signerIndex == x.signerIndex
        && digest().equals(x.digest())
        && signature.equals(x.signature)
        && txHash.equals(x.txHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(committeeIndex, signerIndex, digest(), signature);
  }

  @Override
  public String toString() {
    return "SignedObservation["
        + messageId()
        + ", signer "
        + signerIndex
        + ", committee "
        + committeeIndex
        + ", digest "
        + digest()
        + "]";
  }
}
