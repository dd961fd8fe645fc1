package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.consensus.testing.MainnetVectors.Vaa;
import dev.vigil.signing.Hex;
import dev.vigil.signing.testing.Vectors;
import dev.vigil.testing.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** `vigil verify` on real Wormhole mainnet VAAs (guardian set 4) and mutations of them. */
class VerifyCommandTest {
  @TempDir Path tmp;

  static List<Vaa> vaas() {
    return MainnetVectors.vaas();
  }

  @TempDir static Path vectors;

  static String committee() {
    return Vectors.copyTo(vectors, Vectors.WORMHOLE_GUARDIAN_SET_4).toString();
  }

  static CommandRun verify(String... attestationAndMore) {
    String[] args = new String[4 + attestationAndMore.length];
    args[0] = "verify";
    args[1] = "--committee=" + committee();
    args[2] = "--index";
    args[3] = "4";
    System.arraycopy(attestationAndMore, 0, args, 4, attestationAndMore.length);
    return Cli.run(args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vaas")
  void aMainnetVaaIsValidAndEverySignatureRecoversToItsGuardian(Vaa vaa) {
    CommandRun r = verify(Hex.encode0x(vaa.bytes()));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("version            1\n")
        .contains("committee index    4\n")
        .contains("digest             " + vaa.digest().toHex() + "\n")
        .contains("committee          4 (19 members, quorum 13)")
        .contains("verdict            VALID\n");
    int n = Integer.parseInt(field(r.out(), "signatures"));
    assertThat(n).isGreaterThanOrEqualTo(13);
    assertThat(r.out().lines().filter(l -> l.contains("signer index"))).hasSize(n);
    assertThat(
            r.out()
                .lines()
                .filter(l -> l.strip().startsWith("recovered") && l.contains(" = member ")))
        .hasSize(n);
    assertThat(
            r.out().lines().filter(l -> l.strip().startsWith("r ") || l.strip().startsWith("s ")))
        .hasSize(2 * n);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void printsTheBodyFieldsOfTheSuiTransfer() {
    CommandRun r = verify(Hex.encode(MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes()));
    assertThat(r.exit()).isZero();
    assertThat(field(r.out(), "emitter chain")).isEqualTo("21");
    assertThat(field(r.out(), "sequence")).isEqualTo("196444");
    assertThat(field(r.out(), "emitter address")).matches("0x[0-9a-f]{64}");
    assertThat(field(r.out(), "timestamp")).matches("\\d+ \\(20\\d\\d-.*Z\\)");
    assertThat(field(r.out(), "nonce")).matches("\\d+");
    assertThat(field(r.out(), "consistency level")).matches("\\d+");
    assertThat(field(r.out(), "payload")).matches("0x[0-9a-f]+ \\(\\d+ bytes\\)");
    assertThat(field(r.out(), "message id")).startsWith("21/").endsWith("/196444");
  }

  @Test
  void theGovernanceVaaComesFromChain1Emitter4() {
    CommandRun r = verify(Hex.encode(MainnetVectors.vaa(MainnetVectors.UPGRADE_4_TO_5).bytes()));
    assertThat(r.exit()).isZero();
    assertThat(field(r.out(), "emitter chain")).isEqualTo("1");
    assertThat(field(r.out(), "emitter address")).isEqualTo("0x" + "00".repeat(31) + "04");
    // payload starts with the module "Core", left-padded to 32 bytes
    assertThat(field(r.out(), "payload")).startsWith("0x" + "00".repeat(28) + "436f7265");
  }

  @Test
  void base64AndFilesWork() throws IOException {
    byte[] vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes();
    assertThat(verify(Base64.getEncoder().encodeToString(vaa)).exit()).isZero();
    assertThat(verify(Base64.getUrlEncoder().withoutPadding().encodeToString(vaa)).exit()).isZero();
    Path hexFile = tmp.resolve("vaa.hex");
    Files.writeString(hexFile, "0x" + Hex.encode(vaa).replaceAll("(.{64})", "$1\n") + "\n");
    assertThat(verify("@" + hexFile).exit()).isZero();
    Path raw = tmp.resolve("vaa.bin");
    Files.write(raw, vaa);
    CommandRun r = verify("@" + raw);
    assertThat(r.exit()).isZero();
    assertThat(field(r.out(), "bytes")).isEqualTo(String.valueOf(vaa.length));
  }

  @Test
  void aChangedPayloadByteIsInvalidAndNoSignatureRecoversToItsGuardian() {
    byte[] vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes();
    vaa[vaa.length - 1] ^= 0x01;
    CommandRun r = verify(Hex.encode(vaa));
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains("verdict            INVALID WRONG_SIGNER: signature #0 recovers to");
    assertThat(r.out())
        .contains(
            "rule               every signature recovers to the committee member at its signer index");
    assertThat(r.out().lines().filter(l -> l.contains(" = member "))).isEmpty();
    assertThat(r.out().lines().filter(l -> l.contains(" is NOT member ")))
        .hasSize(Integer.parseInt(field(r.out(), "signatures")));
  }

  @Test
  void aSwappedSignatureOrderIsInvalid() {
    byte[] vaa = MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes();
    byte[] first = Arrays.copyOfRange(vaa, 6, 72);
    System.arraycopy(vaa, 72, vaa, 6, 66);
    System.arraycopy(first, 0, vaa, 72, 66);
    CommandRun r = verify(Hex.encode(vaa));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(field(r.out(), "verdict")).startsWith("INVALID INDICES_NOT_ASCENDING");
    // the signatures themselves are fine: each still recovers to its guardian
    assertThat(r.out().lines().filter(l -> l.contains(" = member ")))
        .hasSize(Integer.parseInt(field(r.out(), "signatures")));
  }

  @Test
  void theWrongCommitteeIndexIsAnUnknownCommittee() {
    CommandRun r =
        Cli.run(
            "verify",
            "--committee",
            committee(),
            "--index",
            "3",
            Hex.encode(MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes()));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(field(r.out(), "verdict"))
        .startsWith("INVALID UNKNOWN_COMMITTEE: committee 4 is not known");
  }

  @Test
  void aTruncatedAttestationIsInvalidWithItsReason() {
    byte[] vaa = Arrays.copyOf(MainnetVectors.vaa(MainnetVectors.SUI_TRANSFER).bytes(), 100);
    CommandRun r = verify(Hex.encode(vaa));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(field(r.out(), "bytes")).isEqualTo("100");
    assertThat(field(r.out(), "verdict")).startsWith("INVALID TRUNCATED: signature count is 13");
  }

  @Test
  void unreadableInputIsAUsageError() throws IOException {
    CommandRun garbage = verify("not-an-attestation!");
    assertThat(garbage.exit()).isEqualTo(2);
    assertThat(garbage.err()).contains("ATTESTATION is neither hex nor base64");
    assertThat(garbage.out()).isEmpty();

    assertThat(verify("0xzz").err()).contains("starts with 0x but is not hex");
    assertThat(verify("@" + tmp.resolve("absent.bin")).err()).contains("absent.bin");

    CommandRun noCommittee =
        Cli.run(
            "verify", "--committee", tmp.resolve("none.txt").toString(), "--index", "4", "0x01");
    assertThat(noCommittee.exit()).isEqualTo(2);
    assertThat(noCommittee.err()).contains("none.txt");

    Path bad = tmp.resolve("bad-committee.txt");
    Files.writeString(
        bad, "# two members\n0x5893B5A76c3f739645648885bDCcC06cd70a3Cd3\n0x1234 # short\n");
    CommandRun badLine = Cli.run("verify", "--committee", bad.toString(), "--index", "4", "0x01");
    assertThat(badLine.exit()).isEqualTo(2);
    assertThat(badLine.err())
        .contains("bad-committee.txt:3: expected an address")
        .contains("\"0x1234\"");

    CommandRun missingOption = Cli.run("verify", "0x01");
    assertThat(missingOption.exit()).isEqualTo(2);
    assertThat(missingOption.err()).contains("Missing required options");
  }

  private static String field(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " +(.*)$").matcher(out);
    assertThat(m.find()).as("field %s in\n%s", name, out).isTrue();
    return m.group(1);
  }

  /** A v2 attestation signed by 3 of 4 with FROST, for committee 4 (the guardian set file's). */
  static byte[][] thresholdAttestationAndKey() {
    var random = new java.security.SecureRandom(new byte[] {4});
    var frost = dev.vigil.frost.Frost.create();
    var keys = dev.vigil.frost.KeyGeneration.trustedDealer(3, 4, random);
    var body =
        new dev.vigil.consensus.attestation.Body(
            1_765_000_000L,
            1,
            2,
            dev.vigil.signing.Bytes32.fromHex("00".repeat(31) + "07"),
            3,
            1,
            "threshold".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] message = body.digest().toBytes();
    List<dev.vigil.frost.SigningNonces> nonces = new java.util.ArrayList<>();
    List<dev.vigil.frost.SigningCommitment> commitments = new java.util.ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      nonces.add(frost.commit(keys.keyPackage(id), random));
      commitments.add(nonces.get(id - 1).commitment());
    }
    List<dev.vigil.frost.SignatureShare> shares = new java.util.ArrayList<>();
    for (int id = 1; id <= 3; id++)
      shares.add(frost.sign(keys.keyPackage(id), nonces.get(id - 1), message, commitments));
    var sig = frost.aggregate(commitments, message, shares, keys.publicKeys());
    return new byte[][] {
      new dev.vigil.consensus.attestation.ThresholdAttestation(4, sig.toBytes(), body).encode(),
      keys.publicKeys().groupKey()
    };
  }

  @Test
  void aThresholdAttestationIsVerifiedAgainstTheGroupKey() {
    byte[][] v2 = thresholdAttestationAndKey();
    String att = dev.vigil.signing.Hex.encode0x(v2[0]);
    CommandRun ok = verify("--group-key", dev.vigil.signing.Hex.encode0x(v2[1]), att);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out())
        .contains("version            2 (threshold")
        .contains("group key index    4")
        .contains("payload            0x")
        .contains("verdict            VALID");
    byte[] other = v2[1].clone();
    other[1] ^= 1;
    CommandRun wrong = verify("--group-key", dev.vigil.signing.Hex.encode0x(other), att);
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.out()).contains("INVALID");
    CommandRun missing = verify(att);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("give the committee's group key with --group-key");
    CommandRun malformed = verify("--group-key", "0x1234", att);
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err()).contains("--group-key must be a 33-byte compressed point");
  }
}
