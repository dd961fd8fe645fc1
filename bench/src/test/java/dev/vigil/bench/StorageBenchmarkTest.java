package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vigil bench` must print every case and leave nothing behind; speed is not asserted here. */
class StorageBenchmarkTest {
  @TempDir Path dir;

  @Test
  void reportsEveryCaseAndCleansUp() throws Exception {
    String report = StorageBenchmark.run(dir, Duration.ofMillis(100), 50);
    assertThat(report)
        .contains("kv put signing record, unsynced")
        .contains("kv put signing record, synced")
        .contains("kv batches of 100 attestations + index, synced")
        .contains("SigningRecordStore.checkAndRecord (new key, synced), 4 threads")
        .contains("AttestationStore.put")
        .contains("GuardedSigner.sign")
        .contains("ops/s")
        .contains(Files.getFileStore(dir).type());
    assertThat(report.lines().filter(l -> l.matches(".*\\s\\d+\\s+\\d+\\s+\\d+\\.\\d")).count())
        .isEqualTo(12);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("benchmark dir deleted").isEmpty();
    }
  }
}
