package dev.vigil.consensus.attestation;

import dev.vigil.signing.Address;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.Signature;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an attestation is valid (ARCHITECTURE.md, "Formats"). Checks run cheapest first,
 * so hostile input costs no signature recovery until everything structural holds: version,
 * committee known and not expired, quorum, signer indices ascending and in range, every signature
 * canonical, and only then recovery of each signer. The first broken rule is reported.
 *
 * <p>Thread-safe if the {@link CommitteeSource} is.
 */
public final class AttestationVerifier {
  public static final Duration DEFAULT_EXPIRY_WINDOW = Duration.ofHours(24);

  private static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  private static final BigInteger HALF_N = N.shiftRight(1);

  private final CommitteeSource committees;
  private final Secp256k1 backend;
  private final Clock clock;
  private final Duration expiryWindow;

  /** The preferred secp256k1 backend, the system clock and a 24 h expiry window. */
  public AttestationVerifier(CommitteeSource committees) {
    this(committees, Secp256k1Backends.preferred(), Clock.systemUTC(), DEFAULT_EXPIRY_WINDOW);
  }

  public AttestationVerifier(
      CommitteeSource committees, Secp256k1 backend, Clock clock, Duration expiryWindow) {
    this.committees = Objects.requireNonNull(committees, "committees");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiryWindow = Objects.requireNonNull(expiryWindow, "expiryWindow");
    if (expiryWindow.isNegative())
      throw new IllegalArgumentException("expiry window must not be negative: " + expiryWindow);
  }

  /** Decodes and verifies; never throws on hostile bytes. */
  public Verdict verify(byte[] encoded) {
    return switch (AttestationCodec.decode(encoded)) {
      case DecodeResult.Ok<Attestation> ok -> verify(ok.value());
      case DecodeResult.Err<Attestation> err ->
          Verdict.rejected(
              switch (err.reason()) {
                case TRUNCATED -> RejectReason.TRUNCATED;
                case WRONG_VERSION -> RejectReason.WRONG_VERSION;
                case BAD_RECOVERY_ID -> RejectReason.BAD_SIGNATURE;
              },
              err.detail());
    };
  }

  /** Verifies an already decoded attestation. */
  public Verdict verify(Attestation a) {
    Objects.requireNonNull(a, "attestation");
    if (a.version() != Attestation.VERSION_1) {
      return Verdict.rejected(
          RejectReason.WRONG_VERSION, "version is " + a.version() + ", expected 1");
    }
    Verdict usable = checkCommittee(a.committeeIndex());
    if (!usable.isValid()) return usable;
    Committee committee = committees.committee(a.committeeIndex()).orElseThrow();
    return verifySignatures(committee, a.digest(), a.signatures());
  }

  /**
   * Whether attestations by committee {@code index} are accepted now: it is known, and it is the
   * current one or was replaced less than the expiry window ago.
   */
  public Verdict checkCommittee(long index) {
    long current = committees.currentIndex();
    Optional<Committee> committee = committees.committee(index);
    if (committee.isEmpty() || index > current) {
      return Verdict.rejected(
          RejectReason.UNKNOWN_COMMITTEE,
          "committee " + index + " is not known (current committee is " + current + ")");
    }
    if (index == current) return Verdict.VALID;
    Optional<Instant> replaced = committees.replacedAt(index);
    if (replaced.isEmpty()) {
      // an older committee without a replacement time cannot be judged fresh, so it is not accepted
      return Verdict.rejected(
          RejectReason.EXPIRED_COMMITTEE,
          "committee " + index + " was replaced (current is " + current + ") at an unknown time");
    }
    Instant expires = replaced.get().plus(expiryWindow);
    Instant now = clock.instant();
    if (!now.isBefore(expires)) {
      return Verdict.rejected(
          RejectReason.EXPIRED_COMMITTEE,
          "committee "
              + index
              + " was replaced at "
              + replaced.get()
              + " and expired at "
              + expires
              + " (window "
              + expiryWindow
              + "); now is "
              + now);
    }
    return Verdict.VALID;
  }

  /**
   * Verifies a full signature list over a digest against a committee, without the version and
   * committee-expiry checks: quorum, ascending in-range indices, canonical, right signers.
   */
  public Verdict verifySignatures(
      Committee committee, Digest digest, List<GuardianSignature> signatures) {
    int quorum = committee.quorum();
    if (signatures.size() < quorum) {
      return Verdict.rejected(
          RejectReason.TOO_FEW_SIGNATURES,
          signatures.size()
              + " signatures, committee "
              + committee.index()
              + " has "
              + committee.size()
              + " members and needs "
              + quorum);
    }
    int previous = -1;
    for (int i = 0; i < signatures.size(); i++) {
      int index = signatures.get(i).signerIndex();
      if (index <= previous) {
        return Verdict.rejected(
            RejectReason.INDICES_NOT_ASCENDING,
            "signature #"
                + i
                + " has signer index "
                + index
                + " after "
                + previous
                + (index == previous ? " (duplicate signer)" : ""));
      }
      if (index >= committee.size()) {
        return outOfRange(i, index, committee);
      }
      previous = index;
    }
    for (int i = 0; i < signatures.size(); i++) {
      Verdict canonical = checkCanonical(i, signatures.get(i));
      if (!canonical.isValid()) return canonical;
    }
    byte[] d = digest.toBytes();
    for (int i = 0; i < signatures.size(); i++) {
      Verdict signer = checkSigner(i, signatures.get(i), committee, d);
      if (!signer.isValid()) return signer;
    }
    return Verdict.VALID;
  }

  /**
   * Verifies one guardian's signature over a digest: index inside the committee, canonical, and it
   * recovers to the member at that index. For the aggregator, which gets peers' signatures one by
   * one.
   */
  public Verdict verifySignature(Committee committee, Digest digest, GuardianSignature signature) {
    if (signature.signerIndex() >= committee.size()) {
      return outOfRange(0, signature.signerIndex(), committee);
    }
    Verdict canonical = checkCanonical(0, signature);
    if (!canonical.isValid()) return canonical;
    return checkSigner(0, signature, committee, digest.toBytes());
  }

  private static Verdict outOfRange(int i, int index, Committee committee) {
    return Verdict.rejected(
        RejectReason.INDEX_OUT_OF_RANGE,
        "signature #"
            + i
            + " has signer index "
            + index
            + ", committee "
            + committee.index()
            + " has "
            + committee.size()
            + " members (0.."
            + (committee.size() - 1)
            + ")");
  }

  private static Verdict checkCanonical(int i, GuardianSignature gs) {
    Signature sig = gs.signature();
    if (sig.isCanonical()) return Verdict.VALID;
    BigInteger r = new BigInteger(1, sig.r());
    BigInteger s = new BigInteger(1, sig.s());
    String why;
    if (r.signum() == 0 || r.compareTo(N) >= 0) why = "r is not in 1..n-1";
    else if (s.signum() == 0 || s.compareTo(N) >= 0) why = "s is not in 1..n-1";
    else if (s.compareTo(HALF_N) > 0)
      why = "s is in the upper half of the group order (high-S, malleable)";
    else why = "it is not canonical";
    return Verdict.rejected(
        RejectReason.BAD_SIGNATURE,
        "signature #" + i + " (signer " + gs.signerIndex() + "): " + why);
  }

  private Verdict checkSigner(int i, GuardianSignature gs, Committee committee, byte[] digest) {
    Address recovered;
    try {
      recovered = backend.recoverAddress(digest, gs.signature());
    } catch (RuntimeException e) {
      // a backend (e.g. a native library) may throw on input it considers invalid; that is a bad
      // signature
      return Verdict.rejected(
          RejectReason.BAD_SIGNATURE,
          "signature #"
              + i
              + " (signer "
              + gs.signerIndex()
              + ") does not recover: "
              + e.getMessage());
    }
    if (recovered == null) {
      return Verdict.rejected(
          RejectReason.BAD_SIGNATURE,
          "signature #"
              + i
              + " (signer "
              + gs.signerIndex()
              + ") does not recover to any public key");
    }
    Address expected = committee.member(gs.signerIndex());
    if (!recovered.equals(expected)) {
      return Verdict.rejected(
          RejectReason.WRONG_SIGNER,
          "signature #"
              + i
              + " recovers to "
              + recovered
              + ", but signer "
              + gs.signerIndex()
              + " of committee "
              + committee.index()
              + " is "
              + expected);
    }
    return Verdict.VALID;
  }
}
