package dev.vigil.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a seed node entry may look like: the host:port that ends up in Pekko's seed-node URL. */
class ClusterReaderTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      10.0.0.1:7100                 | 10.0.0.1          | 7100  | 10.0.0.1:7100
      '  g1.example.org:7401  '     | g1.example.org    | 7401  | g1.example.org:7401
      [fd00::2]:7402                | fd00::2           | 7402  | [fd00::2]:7402
      localhost:65535               | localhost         | 65535 | localhost:65535
      """)
  void aSeedIsHostColonPortWithAnIpv6HostInBrackets(
      String entry, String host, int port, String printed) {
    ClusterSettings.Seed seed = ClusterReader.parseSeed(entry);
    assertThat(seed).isEqualTo(new ClusterSettings.Seed(host, port));
    assertThat(seed).hasToString(printed);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "localhost", // no port
        "10.0.0.1:", // empty port
        ":7100", // no host
        "10.0.0.1:0", // port out of range
        "10.0.0.1:65536",
        "10.0.0.1:seventy",
        "fd00::2:7402", // IPv6 without brackets: where does the host end?
        "[fd00::2]", // bracketed host, no port
        "[fd00::2]7402", // no colon after the bracket
        "[fd00::2:7402", // unclosed bracket
        "pekko://vigil@10.0.0.1:7100", // a Pekko address, not a seed entry
        "vigil@10.0.0.1:7100",
        "10.0.0.1/24:7100"
      })
  void anythingElseIsNotASeed(String entry) {
    assertThat(ClusterReader.parseSeed(entry)).isNull();
  }
}
