package dev.vigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Starts JVMs in which the real native library cannot load (its extraction directory does not
 * exist) and checks what the process does: falls back with one warning, or fails when forced. Also
 * starts JVMs in which only JNA is missing, to check that signing falls back to sign-then-recover.
 */
class NativeFallbackIT {
  /** Entry point of the child JVM. */
  public static final class Probe {
    public static void main(String[] args) {
      Secp256k1 b = Secp256k1Backends.preferred();
      Secp256k1Backends.preferred();
      byte[] digest = Keccak256.hash(new byte[] {1});
      PrivateKey k = PrivateKey.fromBytes(Keccak256.hash(new byte[] {2}));
      boolean recovers = b.address(k).equals(b.recoverAddress(digest, b.sign(digest, k)));
      System.out.println(
          "backend="
              + b.name()
              + " recovers="
              + recovers
              + " signs-with="
              + Secp256k1Backends.nativeSigningPath().orElse("-"));
    }
  }

  record Run(int exit, String output) {}

  private static Run runProbe(String... props) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("-Dfr.acinq.secp256k1.tmpdir=/nonexistent/vigil-no-such-dir");
    cmd.addAll(List.of(props));
    return runJava(cmd);
  }

  private static Run runJava(List<String> props) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(props);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS))
        throw new AssertionError("probe JVM did not finish in 60 s");
      return new Run(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withoutTheNativeLibraryTheProcessSignsWithBouncyCastleAndWarnsOnce() throws Exception {
    Run r = runProbe();
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("backend=bouncycastle recovers=true");
    assertThat(r.output().split("native libsecp256k1 could not load", -1))
        .as(r.output())
        .hasSize(2);
  }

  @Test
  void forcingNativeWhenItCannotLoadStopsTheProcessWithTheReason() throws Exception {
    Run r = runProbe("-Dvigil.secp256k1=native");
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output())
        .contains("system property vigil.secp256k1 asks for the native secp256k1 backend")
        .contains("could not load");
  }

  @Test
  void forcingBouncyCastleDoesNotWarn() throws Exception {
    Run r = runProbe("-Dvigil.secp256k1=bouncycastle");
    assertThat(r.output())
        .contains("backend=bouncycastle recovers=true")
        .doesNotContain("could not load");
  }

  @Test
  void withTheNativeLibraryButNoJnaTheNativeBackendSignsThenRecoversAndSaysWhy() throws Exception {
    // JNA cannot unpack its dispatch library under a regular file; libsecp256k1's JNI still loads
    Run r = runJava(List.of("-Djna.nosys=true", "-Djna.tmpdir=/dev/null/vigil-no-such-dir"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "backend=native recovers=true signs-with=secp256k1_ecdsa_sign via JNI + recovery to find v")
        .contains("recoverable signing through JNA is unavailable")
        .doesNotContain("could not load");
  }

  @Test
  void withTheNativeLibraryAndJnaTheNativeBackendSignsRecoverablyAndLeavesNoCopyBehind(
      @TempDir Path tmp) throws Exception {
    Run r = runJava(List.of("-D" + JnaRecoverableSigner.TMPDIR_PROPERTY + "=" + tmp));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "backend=native recovers=true signs-with=secp256k1_ecdsa_sign_recoverable via JNA")
        .contains(
            "INFO dev.vigil.signing.NativeSecp256k1 -- native libsecp256k1 signs with secp256k1_ecdsa_sign_recoverable via JNA");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("vigil-secp256k1-"));
    }
  }
}
