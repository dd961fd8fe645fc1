package dev.vigil.consensus.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.consensus.testing.MainnetVectors;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueTypesTest {
  static final Bytes32 EMITTER =
      Bytes32.fromHex("00000000000000000000000000000000000000000000000000000000000000ab");

  @Test
  void aDecodedMessageIdKeepsASequenceAboveLongMaxUnsigned() {
    // the real upgrade VAA's sequence is above Long.MAX_VALUE
    Attestation upgrade =
        AttestationCodec.decode(MainnetVectors.vaa(MainnetVectors.UPGRADE_4_TO_5).bytes())
            .orElseThrow();
    MessageId id = upgrade.messageId();
    assertThat(id.toString()).isEqualTo("1/" + "00".repeat(31) + "04/18220114619187442754");
    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
    assertThat(new MessageId(1, EMITTER, -1L))
        .isGreaterThan(new MessageId(1, EMITTER, Long.MAX_VALUE));
  }

  @ParameterizedTest
  @CsvSource({"1,1", "2,2", "3,3", "4,3", "5,4", "6,5", "7,5", "19,13", "20,14", "255,171"})
  void quorumIsMoreThanTwoThirds(int n, int quorum) {
    assertThat(Committee.quorum(n)).isEqualTo(quorum);
    assertThat(3 * quorum).isGreaterThan(2 * n);
    assertThat(3 * (quorum - 1)).isLessThanOrEqualTo(2 * n);
  }

  @Test
  void committeeRejectsEmptyOversizedAndDuplicateMembers() {
    List<Address> members = IntStream.range(0, 256).mapToObj(ValueTypesTest::address).toList();
    assertThatThrownBy(() -> new Committee(0, List.of()))
        .hasMessageContaining("1 to 255 members, got 0");
    assertThatThrownBy(() -> new Committee(0, members))
        .hasMessageContaining("1 to 255 members, got 256");
    assertThat(new Committee(0, members.subList(0, 255)).quorum()).isEqualTo(171);
    assertThatThrownBy(() -> new Committee(3, List.of(address(1), address(2), address(1))))
        .hasMessageContaining("twice")
        .hasMessageContaining("index 2");
    assertThatThrownBy(() -> new Committee(-1, List.of(address(1)))).hasMessageContaining("u32");
    Committee c = new Committee(7, List.of(address(5), address(9)));
    assertThat(c.indexOf(address(9))).hasValue(1);
    assertThat(c.indexOf(address(1))).isEmpty();
  }

  @Test
  void bodyRejectsOutOfRangeFieldsAndIsImmutable() {
    assertThatThrownBy(() -> new Body(1L << 32, 0, 0, EMITTER, 0, 0, new byte[0]))
        .hasMessageContaining("timestamp");
    assertThatThrownBy(() -> new Body(0, -1, 0, EMITTER, 0, 0, new byte[0]))
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> new Body(0, 0, 65536, EMITTER, 0, 0, new byte[0]))
        .hasMessageContaining("emitterChain");
    assertThatThrownBy(() -> new Body(0, 0, 0, EMITTER, 0, 256, new byte[0]))
        .hasMessageContaining("consistencyLevel");
    byte[] payload = {1, 2, 3};
    Body b = new Body(1, 2, 3, EMITTER, 4, 5, payload);
    payload[0] = 9;
    b.payload()[1] = 9;
    assertThat(b.payload()).containsExactly(1, 2, 3);
    assertThat(b).isEqualTo(new Body(1, 2, 3, EMITTER, 4, 5, new byte[] {1, 2, 3}));
    assertThat(b.hashCode())
        .isEqualTo(new Body(1, 2, 3, EMITTER, 4, 5, new byte[] {1, 2, 3}).hashCode());
    assertThat(b).isNotEqualTo(new Body(1, 2, 3, EMITTER, 4, 5, new byte[] {1, 2, 4}));
  }

  static Address address(int i) {
    byte[] b = new byte[20];
    b[18] = (byte) (i >> 8);
    b[19] = (byte) (i + 1);
    return Address.wrap(b);
  }
}
