package dev.vigil.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test-time servers and tools from Debian's packages (Prometheus and promtool, Chromium and its
 * driver), installed by the test setup itself when missing: with {@code apt-get install} as root,
 * after an {@code apt-get update} if the first attempt fails. A test that cannot get one skips and
 * says which package it needed and why ({@link Tool#missing()}), never silently.
 */
public final class DebianPackages {
  private DebianPackages() {}

  /** A program found or installed, or why not. */
  public record Tool(Path path, String missing) {
    public boolean present() {
      return path != null;
    }
  }

  /**
   * The program {@code binary} (looked up in /usr/bin, /usr/sbin, /bin, /usr/local/bin), installing
   * Debian package {@code pkg} first if it is missing.
   */
  public static synchronized Tool ensure(String binary, String pkg) {
    Optional<Path> found = find(binary);
    if (found.isPresent()) return new Tool(found.get(), null);
    if (!"root".equals(System.getProperty("user.name")))
      return new Tool(
          null, "needs Debian package " + pkg + " (" + binary + "); not root, cannot install it");
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get")))
      return new Tool(null, "needs Debian package " + pkg + " (" + binary + "); no apt-get here");
    String first = aptInstall(pkg);
    if (first != null) {
      String update = run(List.of("apt-get", "update"), 600);
      String second = aptInstall(pkg);
      if (second != null)
        return new Tool(
            null,
            "needs Debian package "
                + pkg
                + " ("
                + binary
                + "); apt-get install failed: "
                + second
                + (update == null ? "" : "; apt-get update: " + update));
    }
    return find(binary)
        .map(p -> new Tool(p, null))
        .orElseGet(
            () ->
                new Tool(
                    null,
                    "Debian package "
                        + pkg
                        + " installed, but it has no "
                        + binary
                        + " in /usr/bin"));
  }

  private static String aptInstall(String pkg) {
    return run(
        List.of(
            "apt-get",
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "-o",
            "Dpkg::Options::=--force-confold",
            pkg),
        900);
  }

  private static Optional<Path> find(String binary) {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** Runs a command; null when it exits 0, else its last output lines. */
  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s";
      }
      if (p.exitValue() == 0) return null;
      List<String> lines = new String(out, StandardCharsets.UTF_8).strip().lines().toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "cannot run " + String.join(" ", cmd) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
