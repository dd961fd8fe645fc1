package dev.vigil.node.cli;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.DecodeResult;
import dev.vigil.consensus.attestation.GuardianSignature;
import dev.vigil.consensus.attestation.ThresholdAttestation;
import dev.vigil.consensus.attestation.ThresholdVerifier;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Secp256k1;
import dev.vigil.signing.Secp256k1Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;

/** `vigil verify`: every field of an attestation, who signed it, and the verdict. */
final class AttestationReport {
  record Settings(Path committeeFile, long committeeIndex, String attestation, String groupKey) {}

  private AttestationReport() {}

  static int run(Settings s, PrintWriter out, PrintWriter err) {
    Committee committee;
    byte[] bytes;
    try {
      committee = CommitteeFile.read(s.committeeFile(), s.committeeIndex());
      bytes = AttestationInput.parse(s.attestation());
    } catch (IOException e) {
      err.println("vigil verify: " + e.getMessage());
      return Vigil.EXIT_USAGE;
    }
    Secp256k1 backend = Secp256k1Backends.preferred();
    AttestationVerifier verifier = new AttestationVerifier(CommitteeHistory.of(committee));
    if (bytes.length > 0 && (bytes[0] & 0xFF) == ThresholdAttestation.VERSION_2)
      return runV2(s, committee, verifier, bytes, out, err);

    field(out, "bytes", String.valueOf(bytes.length));
    Verdict verdict;
    switch (AttestationCodec.decode(bytes)) {
      case DecodeResult.Ok<Attestation> ok -> {
        print(out, ok.value(), committee, backend);
        verdict = verifier.verify(ok.value());
      }
      case DecodeResult.Err<Attestation> bad -> verdict = verifier.verify(bytes);
    }
    field(
        out,
        "committee",
        committee.index()
            + " ("
            + committee.size()
            + " members, quorum "
            + committee.quorum()
            + ") from "
            + s.committeeFile());
    switch (verdict) {
      case Verdict.Valid v -> field(out, "verdict", "VALID");
      case Verdict.Rejected r -> {
        field(out, "verdict", "INVALID " + r.reason() + ": " + r.detail());
        field(out, "rule", r.reason().rule());
      }
    }
    out.flush();
    return verdict.isValid() ? 0 : Vigil.EXIT_FAILED;
  }

  /** An attestation v2: one FROST signature, checked against the committee's group key. */
  private static int runV2(
      Settings s,
      Committee committee,
      AttestationVerifier committees,
      byte[] bytes,
      PrintWriter out,
      PrintWriter err) {
    if (s.groupKey() == null) {
      err.println(
          "vigil verify: this is an attestation v2 (threshold mode): give the committee's group key with --group-key 0x… (33 bytes)");
      return Vigil.EXIT_USAGE;
    }
    byte[] key;
    try {
      key = Hex.decode(s.groupKey());
    } catch (RuntimeException e) {
      key = null;
    }
    if (key == null || key.length != 33 || (key[0] != 2 && key[0] != 3)) {
      err.println(
          "vigil verify: --group-key must be a 33-byte compressed point (0x02… or 0x03…, 66 hex digits), got '"
              + s.groupKey()
              + "'");
      return Vigil.EXIT_USAGE;
    }
    byte[] groupKey = key;
    ThresholdVerifier verifier =
        new ThresholdVerifier(
            committees,
            i ->
                i == committee.index()
                    ? java.util.Optional.of(groupKey)
                    : java.util.Optional.empty(),
            dev.vigil.frost.Frost.create());
    field(out, "bytes", String.valueOf(bytes.length));
    if (ThresholdAttestation.decode(bytes) instanceof DecodeResult.Ok<ThresholdAttestation> ok) {
      ThresholdAttestation a = ok.value();
      field(out, "version", "2 (threshold: one FROST(secp256k1, SHA-256) signature)");
      field(out, "group key index", String.valueOf(a.groupKeyIndex()));
      byte[] sig = a.signature();
      field(out, "R", Hex.encode0x(java.util.Arrays.copyOf(sig, 33)));
      field(out, "z", Hex.encode0x(java.util.Arrays.copyOfRange(sig, 33, 65)));
      printBody(out, a.body(), a.digest());
    }
    field(out, "group key", Hex.encode0x(groupKey) + " (committee " + committee.index() + ")");
    return verdict(out, verifier.verify(bytes));
  }

  private static int verdict(PrintWriter out, Verdict verdict) {
    switch (verdict) {
      case Verdict.Valid v -> field(out, "verdict", "VALID");
      case Verdict.Rejected r -> {
        field(out, "verdict", "INVALID " + r.reason() + ": " + r.detail());
        field(out, "rule", r.reason().rule());
      }
    }
    out.flush();
    return verdict.isValid() ? 0 : Vigil.EXIT_FAILED;
  }

  private static void print(
      PrintWriter out, Attestation a, Committee committee, Secp256k1 backend) {
    byte[] digest = a.digest().toBytes();
    field(out, "version", String.valueOf(a.version()));
    field(out, "committee index", String.valueOf(a.committeeIndex()));
    field(out, "signatures", String.valueOf(a.signatures().size()));
    for (int i = 0; i < a.signatures().size(); i++) {
      GuardianSignature gs = a.signatures().get(i);
      out.printf("  #%-3d signer index %d%n", i, gs.signerIndex());
      out.println("       r          " + Hex.encode0x(gs.signature().r()));
      out.println("       s          " + Hex.encode0x(gs.signature().s()));
      out.println("       v          " + gs.signature().v());
      out.println("       recovered  " + recovered(backend, digest, gs, committee));
    }
    printBody(out, a.body(), a.digest());
  }

  private static void printBody(PrintWriter out, Body body, dev.vigil.signing.Digest digest) {
    field(
        out,
        "timestamp",
        Long.toUnsignedString(body.timestamp())
            + " ("
            + Instant.ofEpochSecond(body.timestamp())
            + ")");
    field(out, "nonce", Long.toUnsignedString(body.nonce()));
    field(out, "emitter chain", String.valueOf(body.emitterChain()));
    field(out, "emitter address", "0x" + body.emitterAddress().toHex());
    field(out, "sequence", Long.toUnsignedString(body.sequence()));
    field(out, "consistency level", String.valueOf(body.consistencyLevel()));
    field(out, "payload", Hex.encode0x(body.payload()) + " (" + body.payloadLength() + " bytes)");
    field(out, "message id", body.messageId().toString());
    field(out, "digest", digest.toHex());
  }

  private static String recovered(
      Secp256k1 backend, byte[] digest, GuardianSignature gs, Committee committee) {
    Address got;
    try {
      got = backend.recoverAddress(digest, gs.signature());
    } catch (RuntimeException e) {
      got = null;
    }
    if (got == null) return "(does not recover to any key)";
    if (gs.signerIndex() >= committee.size()) return got + " (signer index outside the committee)";
    Address member = committee.member(gs.signerIndex());
    return got.equals(member)
        ? got + " = member " + gs.signerIndex()
        : got + " is NOT member " + gs.signerIndex() + " (" + member + ")";
  }

  private static void field(PrintWriter out, String name, String value) {
    out.printf("%-18s %s%n", name, value);
  }
}
