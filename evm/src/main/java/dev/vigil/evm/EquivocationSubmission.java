package dev.vigil.evm;

import dev.vigil.consensus.observation.SignedObservation;
import dev.vigil.signing.Address;
import dev.vigil.signing.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * Exactly what {@code VigilStaking.submitEquivocation} takes: two attestation bodies of one message
 * with different digests, each with member {@code signerIndex}'s signature (65 bytes r|s|v, v in
 * {0,1}, low-s) over keccak256(keccak256(body)). {@link #calldata()} is the ABI-encoded call.
 * {@link #from} builds one from kept evidence, or says why it cannot.
 */
public record EquivocationSubmission(
    long committeeIndex,
    int signerIndex,
    Address signer,
    byte[] bodyA,
    Signature sigA,
    byte[] bodyB,
    Signature sigB) {
  public EquivocationSubmission {
    Objects.requireNonNull(signer, "signer");
    bodyA = bodyA.clone();
    bodyB = bodyB.clone();
    Objects.requireNonNull(sigA, "sigA");
    Objects.requireNonNull(sigB, "sigB");
    if (committeeIndex < 0 || committeeIndex > 0xFFFF_FFFFL)
      throw new IllegalArgumentException("committee index " + committeeIndex + " is not a u32");
    if (signerIndex < 0 || signerIndex > 0xFF)
      throw new IllegalArgumentException("signer index " + signerIndex + " is not a u8");
  }

  @Override
  public byte[] bodyA() {
    return bodyA.clone();
  }

  @Override
  public byte[] bodyB() {
    return bodyB.clone();
  }

  /** A submission, or why kept evidence cannot be one yet. */
  public sealed interface Built {}

  public record Complete(EquivocationSubmission submission) implements Built {}

  /** {@code reason} names what is missing or wrong, e.g. which body is missing. */
  public record Incomplete(String reason) implements Built {}

  /**
   * From the two signed observations of kept evidence against {@code signer}: complete when both
   * bodies are known and both signatures are low-s; otherwise the reason.
   */
  public static Built from(List<SignedObservation> pair, Address signer) {
    if (pair == null || pair.size() != 2) return new Incomplete("the evidence does not decode");
    SignedObservation a = pair.get(0), b = pair.get(1);
    String missing =
        a.body().isEmpty() && b.body().isEmpty()
            ? "both bodies (digests " + a.digest() + " and " + b.digest() + ") are"
            : a.body().isEmpty()
                ? "the first body (digest " + a.digest() + ") is"
                : b.body().isEmpty() ? "the second body (digest " + b.digest() + ") is" : null;
    if (missing != null)
      return new Incomplete(
          missing
              + " not known here; peers were asked for it (a member that withholds its body"
              + " cannot be slashed)");
    if (a.signerIndex() != b.signerIndex() || a.committeeIndex() != b.committeeIndex())
      return new Incomplete("the two signatures are under different signer or committee indices");
    if (a.digest().equals(b.digest())) return new Incomplete("the two digests are the same");
    for (SignedObservation so : pair)
      if (!so.signature().isCanonical())
        return new Incomplete(
            "the signature over "
                + so.digest()
                + " is not low-s; the contract refuses malleable signatures");
    return new Complete(
        new EquivocationSubmission(
            a.committeeIndex(),
            a.signerIndex(),
            signer,
            a.body().get().encode(),
            a.signature(),
            b.body().get().encode(),
            b.signature()));
  }

  /**
   * The JSON form {@code /v1/evidence} serves: committeeIndex, signerIndex, signer, bodyA, sigA,
   * bodyB, sigB (0x hex) and calldata, the ABI-encoded call.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode toJson(
      com.fasterxml.jackson.databind.node.ObjectNode o) {
    return o.put("committeeIndex", committeeIndex)
        .put("signerIndex", signerIndex)
        .put("signer", signer.toString())
        .put("bodyA", hex(bodyA))
        .put("sigA", hex(sigA.toBytes()))
        .put("bodyB", hex(bodyB))
        .put("sigB", hex(sigB.toBytes()))
        .put("calldata", calldata());
  }

  /**
   * Reads the JSON form back; a field that is missing or malformed fails naming it. The calldata
   * given must be the encoding of the other fields.
   */
  public static EquivocationSubmission fromJson(com.fasterxml.jackson.databind.JsonNode o) {
    Signature a = Signature.fromBytes(bytes(o, "sigA", Signature.LENGTH));
    Signature b = Signature.fromBytes(bytes(o, "sigB", Signature.LENGTH));
    if (a.v() > 1 || b.v() > 1)
      throw new IllegalArgumentException("sigA and sigB must end with v in {0,1}");
    EquivocationSubmission s =
        new EquivocationSubmission(
            number(o, "committeeIndex"),
            (int) number(o, "signerIndex"),
            Address.fromHex(text(o, "signer")),
            bytes(o, "bodyA", -1),
            a,
            bytes(o, "bodyB", -1),
            b);
    if (o.hasNonNull("calldata") && !o.get("calldata").asText().equalsIgnoreCase(s.calldata()))
      throw new IllegalArgumentException("calldata is not the encoding of the other fields");
    return s;
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode o, String field) {
    var v = o.get(field);
    if (v == null || !v.isTextual())
      throw new IllegalArgumentException("submission." + field + " is missing or not a string");
    return v.asText();
  }

  private static long number(com.fasterxml.jackson.databind.JsonNode o, String field) {
    var v = o.get(field);
    if (v == null || !v.canConvertToLong())
      throw new IllegalArgumentException("submission." + field + " is missing or not a number");
    return v.asLong();
  }

  private static byte[] bytes(com.fasterxml.jackson.databind.JsonNode o, String field, int length) {
    String t = text(o, field);
    if (!t.startsWith("0x") || !t.substring(2).matches("([0-9a-fA-F]{2})*"))
      throw new IllegalArgumentException("submission." + field + " is not 0x and hex bytes");
    byte[] b = HexFormat.of().parseHex(t.substring(2));
    if (length >= 0 && b.length != length)
      throw new IllegalArgumentException(
          "submission." + field + " is " + b.length + " bytes, expected " + length);
    return b;
  }

  private static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  /** The {@code submitEquivocation(uint32,uint8,bytes,bytes,bytes,bytes)} call. */
  public Function function() {
    return new Function(
        "submitEquivocation",
        List.of(
            new Uint32(committeeIndex),
            new Uint8(signerIndex),
            new DynamicBytes(bodyA),
            new DynamicBytes(sigA.toBytes()),
            new DynamicBytes(bodyB),
            new DynamicBytes(sigB.toBytes())),
        List.of(new TypeReference<Uint256>() {}));
  }

  /** The ABI-encoded call, 0x and lower-case hex. */
  public String calldata() {
    return FunctionEncoder.encode(function());
  }

  /** Message id of body A as the contract reads it (body offsets 8..50), hex. */
  public String messageIdHex() {
    return HexFormat.of().formatHex(Arrays.copyOfRange(bodyA, 8, 50));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EquivocationSubmission e
        && committeeIndex == e.committeeIndex
        && signerIndex == e.signerIndex
        && signer.equals(e.signer)
        && Arrays.equals(bodyA, e.bodyA)
        && sigA.equals(e.sigA)
        && Arrays.equals(bodyB, e.bodyB)
        && sigB.equals(e.sigB);
  }

  @Override
  public int hashCode() {
    return Objects.hash(committeeIndex, signerIndex, signer, Arrays.hashCode(bodyA), sigA);
  }

  @Override
  public String toString() {
    return "EquivocationSubmission[committee "
        + committeeIndex
        + ", signer "
        + signerIndex
        + " "
        + signer
        + ", bodies of "
        + bodyA.length
        + " and "
        + bodyB.length
        + " bytes]";
  }
}
