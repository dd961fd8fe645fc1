package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.testing.TestCommittee;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Secp256k1Backends;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the relayer takes from one stream event, and what it refuses (without throwing). */
class AttestationEventsTest {
  static final TestCommittee COMMITTEE =
      TestCommittee.create(new Random(5), 0, 4, Secp256k1Backends.preferred());
  static final Attestation A =
      COMMITTEE.attestQuorum(
          new Body(
              1_700_000_000L,
              1,
              2,
              Bytes32.fromHex("ab".repeat(32)),
              9,
              200,
              new byte[] {1, 2, 3}));
  static final String ID = A.messageId().toString();
  static final String HEX = Hex.encode0x(A.encode());

  @Test
  void takesTheExactBytesTheNodeStored() {
    var r =
        AttestationEvents.parse(
            new SseParser.Event(
                Optional.of(ID),
                Optional.empty(),
                "{\"id\":\"" + ID + "\",\"sequence\":\"9\",\"hex\":\"" + HEX + "\"}"));
    assertThat(r)
        .isInstanceOfSatisfying(
            AttestationEvents.Ok.class,
            ok -> {
              assertThat(ok.received().raw()).isEqualTo(A.encode());
              assertThat(ok.received().attestation().digest()).isEqualTo(A.digest());
            });
  }

  static Stream<Arguments> refused() {
    String truncated = HEX.substring(0, HEX.length() - 40);
    return Stream.of(
        Arguments.of("not JSON", ID, "{not json", "data is not JSON"),
        Arguments.of("JSON but not an object with hex", ID, "[1,2]", "no \"hex\" string"),
        Arguments.of("hex missing", ID, "{\"id\":\"" + ID + "\"}", "no \"hex\" string"),
        Arguments.of("hex not a string", ID, "{\"hex\":12}", "no \"hex\" string"),
        Arguments.of("hex not hex", ID, "{\"hex\":\"0xzz\"}", "\"hex\" is not hex"),
        Arguments.of("hex odd length", ID, "{\"hex\":\"0xabc\"}", "\"hex\" is not hex"),
        Arguments.of("hex not an attestation", ID, "{\"hex\":\"0x0102\"}", "is not an attestation"),
        Arguments.of(
            "truncated attestation",
            ID,
            "{\"hex\":\"" + truncated + "\"}",
            "is not an attestation"),
        Arguments.of(
            "event id of another message",
            "2/" + "cd".repeat(32) + "/9",
            "{\"hex\":\"" + HEX + "\"}",
            "is not the attestation's message id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithAReason(String name, String id, String data, String reason) {
    var r = AttestationEvents.parse(new SseParser.Event(Optional.of(id), Optional.empty(), data));
    assertThat(r)
        .isInstanceOfSatisfying(
            AttestationEvents.Bad.class, bad -> assertThat(bad.reason()).contains(reason));
  }
}
