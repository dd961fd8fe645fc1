package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.process.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive the devnet's guardians share: recorded by guardian 0 of the first devnet,
 * moved into place only once complete, then mapped by every later guardian (a JVM started with
 * {@code -Xshare:on} refuses to start if it cannot map it).
 */
class SharedClassesTest {
  @TempDir Path dir;

  @Test
  void theFirstRunRecordsAnArchiveThatLaterGuardiansMap() throws Exception {
    Files.writeString(dir.resolve("guardian-0123456789abcdef.jsa"), "an archive of another build");
    SharedClasses cds = SharedClasses.in(dir).orElseThrow();
    assertThat(cds.present()).isFalse();
    assertThat(cds.jvmOptions(1)).as("only guardian 0 records").isEmpty();
    List<String> recording = cds.jvmOptions(0);
    assertThat(recording).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));

    Run first = runGuardianHelp(recording);
    assertThat(first.exit).as(first.output).isZero();
    assertThat(cds.keep()).hasValueSatisfying(m -> assertThat(m).contains("recorded"));
    assertThat(cds.present()).isTrue();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the other build's archive is deleted, no recording is left behind")
          .hasSize(1)
          .allMatch(n -> n.endsWith(".jsa") && !n.startsWith("guardian-0123456789abcdef"));
    }

    List<String> mapped = new ArrayList<>(cds.jvmOptions(3));
    assertThat(mapped).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    mapped.add("-Xshare:on");
    Run later = runGuardianHelp(mapped);
    assertThat(later.exit).as("a guardian JVM that must map the archive: " + later.output).isZero();
    assertThat(later.output).contains("Usage: vigil");
    assertThat(cds.keep()).as("nothing more to keep").isEmpty();
  }

  @Test
  void aDirectoryThatCannotBeCreatedMeansNoArchiveNotAFailure() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThat(SharedClasses.in(file.resolve("class-data"))).isEmpty();
  }

  private record Run(int exit, String output) {}

  /** {@code vigil --help} in a JVM like a devnet guardian's (same classpath). */
  private static Run runGuardianHelp(List<String> jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", NodeProcess.classpath(), "dev.vigil.node.cli.Vigil", "--help"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("JVM exited").isTrue();
    return new Run(p.exitValue(), out);
  }
}
