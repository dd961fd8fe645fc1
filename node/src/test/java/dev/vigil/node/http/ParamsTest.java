package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.signing.MessageId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The path parsers' rules, one row per case; the HTTP tests check the same refusals end to end. */
class ParamsTest {

  @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
  @CsvSource(
      textBlock =
          """
      0,     0x0000000000000000000000000000000000000000000000000000000000000001, 0,                    0/0000000000000000000000000000000000000000000000000000000000000001/0
      65535, 00000000000000000000000000000000000000000000000000000000000000ff, 18446744073709551615, 65535/00000000000000000000000000000000000000000000000000000000000000ff/18446744073709551615
      2,     0xABCDEF0123456789abcdef0123456789ABCDEF01,                         007,                  2/000000000000000000000000abcdef0123456789abcdef0123456789abcdef01/7
      """)
  void acceptedIds(String chain, String emitter, String sequence, String expected) {
    MessageId id = Params.messageId(chain, emitter, sequence);
    assertThat(id.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      chain    | 65536            | chain must be an unsigned 16-bit integer (0..65535), got '65536'
      chain    | 000001           | got '000001'
      chain    | ２                | got '２'
      chain    | ''               | got ''
      sequence | ١٢               | sequence must be an unsigned 64-bit integer, got '١٢'
      sequence | 0x10             | got '0x10'
      sequence | 99999999999999999999 | at most 18446744073709551615
      sequence | 123456789012345678901 | sequence must be an unsigned 64-bit integer, got '123456789012345678901'
      emitter  | ００               | emitter must be hex, got '００' (character '０' at position 0)
      emitter  | 0x0x12           | character 'x' at position 3
      emitter  | ' 12'            | character ' ' at position 0
      emitter  | 123              | got 3 digits
      """)
  void refusedValuesNameTheValue(String field, String text, String message) {
    assertThatThrownBy(
            () -> {
              Object unused =
                  switch (field) {
                    case "chain" -> Params.chain("chain", text);
                    case "sequence" -> Params.sequence("sequence", text);
                    case "emitter" -> Params.emitter("emitter", text);
                    default -> throw new IllegalArgumentException(field);
                  };
            })
        .isInstanceOf(ApiError.class)
        .hasMessageContaining(message);
  }
}
