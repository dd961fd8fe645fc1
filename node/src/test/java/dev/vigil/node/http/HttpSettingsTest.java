package dev.vigil.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSettingsTest {

  @Test
  void missingKeysKeepTheDefaults() {
    assertThat(HttpSettings.fromConfig(ConfigFactory.empty())).isEqualTo(HttpSettings.defaults());
    assertThat(HttpSettings.defaults().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void keysAreRead() {
    HttpSettings s = HttpSettings.fromConfig(ConfigFactory.parseString("""
        vigil.node.http { host = "0.0.0.0", port = 9100, stream-buffer = 64, max-streams = 3, stream-keep-alive = 5s,
          readiness-deadline = 500ms, shutdown-deadline = 2s }
        """));
    assertThat(s).isEqualTo(new HttpSettings("0.0.0.0", 9100, 64, 3, Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(2)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      port = 70000                | port must be 0..65535, got 70000
      port = eighty               | port has type STRING rather than NUMBER
      stream-buffer = 0           | stream-buffer must be 1..1000000 attestations, got 0
      max-streams = 0             | max-streams must be 1..100000, got 0
      stream-keep-alive = 0s      | stream-keep-alive must be positive
      readiness-deadline = soon   | readiness-deadline
      host = "  "                 | host must not be blank
      """)
  void badValuesNameTheKey(String setting, String message) {
    assertThatThrownBy(() -> HttpSettings.fromConfig(ConfigFactory.parseString("vigil.node.http." + setting)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad HTTP settings under vigil.node.http: ")
        .hasMessageContaining(message);
  }
}
