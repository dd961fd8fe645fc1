package dev.vigil.frost;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed points and scalars are refused with an error naming what and whose, never echoed. */
class MalformedInputTest {
  private static final byte[] G = GroupOps.bouncyCastle().mulBase(BigInteger.ONE); // a valid point
  private static final byte[] N_BYTES =
      Ciphersuite.serializeScalar(Ciphersuite.N.subtract(BigInteger.ONE));

  static {
    N_BYTES[31]++; // n itself: one above the largest scalar
  }

  interface Action {
    void run();
  }

  static Stream<Arguments> rules() {
    byte[] offCurve = Points.notOnCurve();
    byte[] xAboveP = Points.compressedWithX(Points.P, true); // x >= p is not a field element
    byte[] badPrefix = G.clone();
    badPrefix[0] = 0x05;
    byte[] zeros33 = new byte[33];
    byte[] sec1Infinity = {0x00};
    byte[] zero32 = new byte[32];
    byte[] one32 = Ciphersuite.serializeScalar(BigInteger.ONE);
    return Stream.of(
        row(
            "hiding commitment not on the curve",
            () -> new SigningCommitment(2, offCurve, G),
            "hiding nonce commitment of participant 2 is not a point on secp256k1"),
        row(
            "binding commitment with x >= p",
            () -> new SigningCommitment(2, G, xAboveP),
            "binding nonce commitment of participant 2 is not a point on secp256k1"),
        row(
            "commitment with prefix 05",
            () -> new SigningCommitment(4, badPrefix, G),
            "hiding nonce commitment of participant 4 must be a compressed point starting 02 or 03, got prefix 05"),
        row(
            "commitment of 32 bytes",
            () -> new SigningCommitment(4, Arrays.copyOf(G, 32), G),
            "must be a 33-byte compressed point, got 32 bytes"),
        row(
            "commitment is the identity (33 zeros)",
            () -> new SigningCommitment(3, G, zeros33),
            "binding nonce commitment of participant 3 is the identity element"),
        row(
            "group key is the identity (SEC1 00)",
            () -> KeyPackage.of(1, one32, sec1Infinity, 2),
            "group public key is the identity element"),
        row(
            "group key not on the curve",
            () -> KeyPackage.of(1, one32, offCurve, 2),
            "group public key is not a point on secp256k1"),
        row(
            "signing share equal to n",
            () -> KeyPackage.of(3, N_BYTES, G, 2),
            "signing share of participant 3 is not a scalar: it is not below the group order n"),
        row(
            "signing share zero",
            () -> KeyPackage.of(3, zero32, G, 2),
            "signing share of participant 3 is zero"),
        row(
            "signing share of 31 bytes",
            () -> KeyPackage.of(3, new byte[31], G, 2),
            "signing share of participant 3 must be a 32-byte scalar, got 31 bytes"),
        row(
            "identifier zero",
            () -> KeyPackage.of(0, one32, G, 2),
            "a participant identifier is a positive integer, got 0"),
        row(
            "threshold of one",
            () -> KeyPackage.of(1, one32, G, 1),
            "threshold must satisfy 2 <= min signers <= participants, got 1-of-n"),
        row(
            "signature share equal to n",
            () -> SignatureShare.fromBytes(5, N_BYTES),
            "signature share of participant 5 is not a scalar: it is not below the group order n"),
        row(
            "signature z equal to n",
            () -> FrostSignature.fromBytes(concat(G, N_BYTES)),
            "signature's z is not a scalar"),
        row(
            "signature R not on the curve",
            () -> FrostSignature.fromBytes(concat(offCurve, one32)),
            "signature's R is not a point on secp256k1"),
        row(
            "signature R the identity",
            () -> FrostSignature.fromBytes(concat(zeros33, one32)),
            "signature's R is the identity element"),
        row(
            "signature of 64 bytes",
            () -> FrostSignature.fromBytes(new byte[64]),
            "a FROST signature is 65 bytes (R 33 || z 32), got 64 bytes"),
        row(
            "verifying share not on the curve",
            () -> new PublicKeyPackage(G, java.util.Map.of(1, G, 2, offCurve), 2),
            "verifying share of participant 2 is not a point on secp256k1"),
        row(
            "threshold above the participants",
            () -> new PublicKeyPackage(G, java.util.Map.of(1, G, 2, G), 3),
            "got 3-of-2"),
        row(
            "dealer 4-of-3",
            () -> KeyGeneration.trustedDealer(4, 3, new SecureRandom()),
            "got 4-of-3"),
        row(
            "EVM check of a point not on the curve",
            () -> KeyGeneration.isEvmFriendly(offCurve),
            "group public key is not a point on secp256k1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void isRefusedNamingTheProblem(String what, Action action, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aSecretScalarIsNeverEchoedInTheError() {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0xff); // 2^256 - 1, above n
    assertThatThrownBy(() -> KeyPackage.of(1, secret, G, 2))
        .hasMessageNotContaining(dev.vigil.signing.Hex.encode(secret))
        .hasMessageNotContaining("ffffffff");
  }

  @Test
  void bothBackendsRefuseAPointNotOnTheCurveRatherThanComputeWithIt() {
    byte[] offCurve = Points.notOnCurve();
    for (GroupOps ops : List.of(GroupOps.bouncyCastle(), GroupOps.nativeLibsecp256k1())) {
      assertThatThrownBy(() -> ops.mul(offCurve, BigInteger.TWO))
          .as(ops.name())
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ops.add(offCurve, G))
          .as(ops.name())
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ops.decompress(offCurve))
          .as(ops.name())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Arguments row(String what, Action action, String message) {
    return Arguments.of(what, action, message);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return Ciphersuite.concat(a, b);
  }
}
