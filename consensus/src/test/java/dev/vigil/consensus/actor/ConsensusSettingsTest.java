package dev.vigil.consensus.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsensusSettingsTest {
  @Test
  void defaultsFromReferenceConf() {
    ConsensusSettings s = ConsensusSettings.fromConfig(ConfigFactory.load());
    assertThat(s.batchDelay()).isEqualTo(Duration.ofMillis(20));
    assertThat(s.aggregator().retryInitial()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.aggregator().maxUnseenPerPeer()).isEqualTo(10_000);
    assertThat(s.aggregator().maxUnseenBytesPerPeer()).isEqualTo(32L << 20);
    assertThat(s.aggregator().invalidBurst()).isEqualTo(100);
    assertThat(s.verifyChunksInFlight()).as("0: twice the cores").isZero();
    assertThat(s.signBatchMaxSize()).isEqualTo(256);
    assertThat(ConfigFactory.load().getString("pekko.actor.allow-java-serialization"))
        .isEqualTo("off");
    assertThat(ConfigFactory.load().getString("pekko.cluster.downing-provider-class")).isEmpty();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "batch-delay | 0s | batch-delay",
        "batch-max-size | 0 | batch-max-size",
        "sign-batch-max-size | 0 | sign-batch-max-size",
        "max-unseen-per-peer | 0 | max-unseen-per-peer",
        "retry-initial | -1s | retry-initial",
        "retry-max | 1s | retry-max",
        "retry-jitter | 1.5 | retry-jitter",
        "give-up-after | soon | give-up-after",
        "max-reobserve-per-second | 0 | max-reobserve-per-second",
        "verify-chunk-size | 0 | verify-chunk-size",
        "verify-chunks-in-flight | -1 | verify-chunks-in-flight",
        "max-unseen-bytes-per-peer | 0 | max-unseen-bytes-per-peer",
        "invalid-signature-burst | 0 | invalid-signature-burst",
        "invalid-signatures-per-second | 0 | invalid-signatures-per-second",
        "max-batch-entries | 199 | batch-max-size (200) must be <= max-batch-entries (199)",
      })
  void badValuesFailNamingTheKey(String key, String value, String named) {
    var config =
        ConfigFactory.parseString("vigil.consensus." + key + " = \"" + value + "\"")
            .withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> ConsensusSettings.fromConfig(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }
}
