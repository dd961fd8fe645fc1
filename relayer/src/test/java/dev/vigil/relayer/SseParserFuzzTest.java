package dev.vigil.relayer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the relayer's SSE framing: arbitrary lines never throw and only a blank line dispatches;
 * an event written out in SSE form (fuzzed id, type and multi-line data) parses back to itself.
 */
class SseParserFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void lines(FuzzedDataProvider data) {
    // part 1: arbitrary lines from a hostile stream
    SseParser parser = new SseParser();
    int n = data.consumeInt(0, 20);
    for (int i = 0; i < n; i++) {
      String line = data.consumeString(64).replace("\r", "").replace("\n", "");
      Optional<SseParser.Event> event = parser.line(line);
      if (!line.isEmpty()) assertThat(event).as("dispatched by non-blank line %s", line).isEmpty();
      event.ifPresent(
          e -> {
            e.id().ifPresent(id -> assertThat(id).isNotEmpty().doesNotContain("\0"));
            e.type().ifPresent(t -> assertThat(t).isNotEmpty().isNotEqualTo("message"));
          });
    }
    // part 2: round trip of one event
    String id = noLineBreaks(data.consumeString(32)).replace("\0", "");
    String type = noLineBreaks(data.consumeString(32));
    List<String> dataLines = new ArrayList<>();
    int k = data.consumeInt(1, 4);
    for (int i = 0; i < k; i++) dataLines.add(noLineBreaks(data.consumeString(32)));
    SseParser fresh = new SseParser();
    List<String> wire = new ArrayList<>();
    wire.add(": comment");
    if (!id.isEmpty()) wire.add("id: " + id);
    if (!type.isEmpty()) wire.add("event: " + type);
    for (String d : dataLines) wire.add("data: " + d);
    for (String l : wire) assertThat(fresh.line(l)).isEmpty();
    SseParser.Event e = fresh.line("").orElseThrow();
    assertThat(e.data()).isEqualTo(String.join("\n", dataLines));
    assertThat(e.id()).isEqualTo(Optional.of(id).filter(s -> !s.isEmpty()));
    assertThat(e.type())
        .isEqualTo(Optional.of(type).filter(s -> !s.isEmpty() && !s.equals("message")));
  }

  private static String noLineBreaks(String s) {
    return s.replace("\r", "").replace("\n", "");
  }
}
