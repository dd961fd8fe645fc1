package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Event-stream framing: one row per rule. Lines are separated by '|' in the table. */
class SseParserTest {
  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("plain event", "id: 2/ab/1|data: {\"x\":1}|", List.of("2/ab/1||{\"x\":1}")),
        Arguments.of("no space after the colon", "id:7|data:abc|", List.of("7||abc")),
        Arguments.of(
            "only the first space is stripped", "data:  two spaces|", List.of("|| two spaces")),
        Arguments.of("multi-line data joined with LF", "data: a|data: b|", List.of("||a\nb")),
        Arguments.of("typed event", "event: dropped|data: {}|", List.of("|dropped|{}")),
        Arguments.of("type 'message' is the plain type", "event: message|data: m|", List.of("||m")),
        Arguments.of("comment (keep-alive) dispatches nothing", ":|: ping|", List.of()),
        Arguments.of(
            "comments inside an event are skipped", "id: 1|: ping|data: d|", List.of("1||d")),
        Arguments.of("empty data is an event with empty data", "data:|", List.of("||")),
        Arguments.of("no data: nothing dispatched", "id: 5|event: x|", List.of()),
        Arguments.of(
            "retry and unknown fields ignored", "retry: 100|foo: bar|data: d|", List.of("||d")),
        Arguments.of("field without colon", "data|", List.of("||")),
        Arguments.of("id with NUL ignored", "id: a\0b|data: d|", List.of("||d")),
        Arguments.of("empty id means none", "id:|data: d|", List.of("||d")),
        Arguments.of(
            "fields reset after dispatch",
            "id: 1|event: t|data: a||data: b|",
            List.of("1|t|a", "||b")),
        Arguments.of("blank lines between events", "data: a||||data: b|", List.of("||a", "||b")),
        Arguments.of("unterminated event not dispatched", "data: a|data: b", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void framing(String rule, String input, List<String> expected) {
    SseParser p = new SseParser();
    List<String> got = new ArrayList<>();
    // a trailing '|' means the input ends with a blank line
    List<String> lines = new ArrayList<>(Arrays.asList(input.split("\\|", -1)));
    for (String line : lines) {
      p.line(line)
          .ifPresent(e -> got.add(e.id().orElse("") + "|" + e.type().orElse("") + "|" + e.data()));
    }
    assertThat(got).as(rule).containsExactlyElementsOf(expected);
  }
}
