package dev.vigil.storage;

import static dev.vigil.storage.TestData.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageKeyTest {
  @Test
  void encodesAs42BigEndianBytesAndBack() {
    MessageKey k = key(2, 0xab, 0x0102030405060708L);
    byte[] b = k.toBytes();
    assertThat(Hex.encode(b))
        .isEqualTo("0002" + "000000000000000000000000" + "ab".repeat(20) + "0102030405060708");
    assertThat(MessageKey.fromBytes(b)).isEqualTo(k);
    assertThat(k.toString()).isEqualTo("2/000000000000000000000000" + "ab".repeat(20) + "/72623859790382856");
  }

  @Test
  void bytesSortByChainThenEmitterThenUnsignedSequence() {
    List<MessageKey> expected = List.of(
        key(1, 0xff, -1L), key(2, 0x01, 0), key(2, 0x01, 1), key(2, 0x01, Long.MAX_VALUE), key(2, 0x01, -1L),
        key(2, 0x02, 0), key(0xffff, 0x00, 0));
    List<MessageKey> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new java.util.Random(1));
    shuffled.sort((a, b) -> java.util.Arrays.compareUnsigned(a.toBytes(), b.toBytes()));
    assertThat(shuffled).containsExactlyElementsOf(expected);
    assertThat(key(2, 1, -1L).toString()).endsWith("/18446744073709551615");
  }

  @Test
  void emitterAddressCannotBeChangedFromOutside() {
    byte[] emitter = new byte[32];
    MessageKey k = new MessageKey(1, emitter, 5);
    emitter[0] = 9;
    k.emitterAddress()[1] = 9;
    assertThat(k.emitterAddress()).containsOnly(0);
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of("negative chain", (Runnable) () -> new MessageKey(-1, new byte[32], 0), "emitter chain must be a u16"),
        Arguments.of("chain above u16", (Runnable) () -> new MessageKey(65536, new byte[32], 0), "emitter chain must be a u16"),
        Arguments.of("short emitter", (Runnable) () -> new MessageKey(1, new byte[20], 0), "emitter address must be 32 bytes, got 20"),
        Arguments.of("null emitter", (Runnable) () -> new MessageKey(1, null, 0), "emitter address must be 32 bytes, got null"),
        Arguments.of("41 bytes", (Runnable) () -> MessageKey.fromBytes(new byte[41]), "a message key is 42 bytes, got 41"),
        Arguments.of("43 bytes", (Runnable) () -> MessageKey.fromBytes(new byte[43]), "a message key is 42 bytes, got 43"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void badInputIsRefusedWithAReason(String name, Runnable make, String reason) {
    assertThatThrownBy(make::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }
}
