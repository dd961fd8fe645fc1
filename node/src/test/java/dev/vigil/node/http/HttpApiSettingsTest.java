package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpApiSettingsTest {

  @Test
  void defaultsListenOnLoopbackAtTheNodesDefaultPort() {
    HttpApiSettings d = HttpApiSettings.defaults();
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(7200);
    assertThat(
            d.withHost("0.0.0.0")
                .withPort(0)
                .withStreamBuffer(8)
                .withMaxStreams(3)
                .withStreamKeepAlive(Duration.ofSeconds(1))
                .withReadinessDeadline(Duration.ofMillis(100)))
        .isEqualTo(
            new HttpApiSettings(
                "0.0.0.0",
                0,
                8,
                3,
                3, // lowered with max-streams
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                d.shutdownDeadline()));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withPort(70000),
            "port must be 0..65535, got 70000"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withPort(-1), "port must be 0..65535, got -1"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withHost(" "), "host must not be blank"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withStreamBuffer(0),
            "stream-buffer must be 1..1000000 attestations, got 0"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withMaxStreams(0),
            "max-streams must be 1..100000, got 0"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withMaxStreamsPerClient(0),
            "max-streams-per-client must be 1..max-streams (100), got 0"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withMaxStreamsPerClient(101),
            "max-streams-per-client must be 1..max-streams (100), got 101"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withStreamKeepAlive(Duration.ZERO),
            "stream-keep-alive must be positive, got PT0S"),
        Arguments.of(
            (UnaryOperator<HttpApiSettings>) s -> s.withReadinessDeadline(Duration.ofSeconds(-1)),
            "readiness-deadline must be positive"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badValues")
  void badValuesNameTheSetting(UnaryOperator<HttpApiSettings> change, String message) {
    assertThatThrownBy(() -> change.apply(HttpApiSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
