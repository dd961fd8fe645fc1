package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MessageIdTest {
  static final Bytes32 EMITTER =
      Bytes32.fromHex("00000000000000000000000000000000000000000000000000000000000000ab");

  @Test
  void encodesAs42BigEndianBytesAndBackAsTheStoresKeyedThemBefore() {
    // the on-disk key of every store kept by message: these exact bytes are in existing databases
    MessageId k = key(2, 0xab, 0x0102030405060708L);
    byte[] b = k.encode();
    assertThat(Hex.encode(b))
        .isEqualTo("0002" + "000000000000000000000000" + "ab".repeat(20) + "0102030405060708");
    assertThat(MessageId.decode(b)).isEqualTo(k);
    assertThat(k.toString())
        .isEqualTo("2/000000000000000000000000" + "ab".repeat(20) + "/72623859790382856");
  }

  @Test
  void printsLikeWormholeAndParsesBack() {
    MessageId id = new MessageId(2, EMITTER, 17);
    assertThat(id).hasToString("2/" + "00".repeat(31) + "ab/17");
    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
    assertThat(new MessageId(1, EMITTER, -1L))
        .hasToString("1/" + "00".repeat(31) + "ab/18446744073709551615");
    assertThat(new MessageId(1, EMITTER, -1L))
        .isGreaterThan(new MessageId(1, EMITTER, Long.MAX_VALUE));
  }

  @Test
  void bytesSortByChainThenEmitterThenUnsignedSequence() {
    List<MessageId> expected =
        List.of(
            key(1, 0xff, -1L),
            key(2, 0x01, 0),
            key(2, 0x01, 1),
            key(2, 0x01, Long.MAX_VALUE),
            key(2, 0x01, -1L),
            key(2, 0x02, 0),
            key(0xffff, 0x00, 0));
    List<MessageId> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(1));
    shuffled.sort((a, b) -> Arrays.compareUnsigned(a.encode(), b.encode()));
    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  @Test
  void orderEqualsEncodedByteOrder() {
    Random rnd = new Random(42);
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] e = new byte[32];
      e[31] = (byte) rnd.nextInt(3); // few emitters, so that sequences get compared
      ids.add(
          new MessageId(
              rnd.nextInt(3),
              Bytes32.wrap(e),
              rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(5)));
    }
    List<MessageId> byCompare = new ArrayList<>(ids);
    Collections.sort(byCompare);
    List<MessageId> byBytes = new ArrayList<>(ids);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(a.encode(), b.encode()));
    assertThat(byBytes).isEqualTo(byCompare);
  }

  static MessageId key(int chain, int emitterByte, long sequence) {
    byte[] emitter = new byte[32];
    Arrays.fill(emitter, 12, 32, (byte) emitterByte);
    return new MessageId(chain, Bytes32.wrap(emitter), sequence);
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of(
            "negative chain",
            (Runnable) () -> new MessageId(-1, EMITTER, 0),
            "emitterChain must fit in u16"),
        Arguments.of(
            "chain above u16",
            (Runnable) () -> new MessageId(65536, EMITTER, 0),
            "emitterChain must fit in u16"),
        Arguments.of("null emitter", (Runnable) () -> new MessageId(1, null, 0), "emitterAddress"),
        Arguments.of(
            "41 bytes",
            (Runnable) () -> MessageId.decode(new byte[41]),
            "an encoded message id is 42 bytes, got 41"),
        Arguments.of(
            "43 bytes",
            (Runnable) () -> MessageId.decode(new byte[43]),
            "an encoded message id is 42 bytes, got 43"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void badInputIsRefusedWithAReason(String name, Runnable make, String reason) {
    assertThatThrownBy(make::run).hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2/ab/17                                                                          | 64 hex digits",
        "70000/0000000000000000000000000000000000000000000000000000000000000000/1         | 0..65535",
        "x/0000000000000000000000000000000000000000000000000000000000000000/1             | chain is not a number",
        "2/0000000000000000000000000000000000000000000000000000000000000000/-1            | not a u64",
        "2/0000000000000000000000000000000000000000000000000000000000000000/18446744073709551616 | not a u64",
        "2/0000000000000000000000000000000000000000000000000000000000000000               | chain/emitter/sequence",
      })
  void parseNamesTheBadPart(String text, String message) {
    assertThatThrownBy(() -> MessageId.parse(text.strip()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.strip());
  }
}
