package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fuzzes the HTTP id parsers with arbitrary text: each either refuses with an {@link ApiError} (the
 * documented refusal) or returns a value that denotes exactly the text it was given.
 */
class ParamsFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void parse(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 3);
    String text = data.consumeRemainingAsString();
    try {
      switch (which) {
        case 0 ->
            assertThat(Params.chain("chain", text))
                .isBetween(0, 0xFFFF)
                .isEqualTo(
                    Integer.parseInt(
                        text)); // digits only, so parseInt agrees on every accepted text
        case 1 ->
            assertThat(Long.toUnsignedString(Params.sequence("sequence", text)))
                .isEqualTo(text.replaceFirst("^0+(?=.)", ""));
        case 2 -> {
          String hex = HexFormat.of().formatHex(Params.emitter("emitter", text).toBytes());
          assertThat(hex).endsWith(bare(text));
        }
        default ->
            assertThat(HexFormat.of().formatHex(Params.digest("digest", text)))
                .isEqualTo(bare(text));
      }
    } catch (ApiError refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }

  private static String bare(String text) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    return hex.toLowerCase(Locale.ROOT);
  }
}
