package dev.vigil.devnet;

import dev.vigil.testing.process.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A class-data sharing archive of the guardian's classes (JDK dynamic CDS), so that the devnet's
 * guardians start faster: a devnet starts several JVMs at once on a few cores, and each spends most
 * of its start loading and verifying the same classes. Without an archive, guardian 0 records one
 * as it exits ({@code -XX:ArchiveClassesAtExit}, into a file of its own); {@link #keep()} then
 * moves it into place, so that no JVM ever maps a half-written archive. Later devnets map it
 * read-only ({@code -XX:SharedArchiveFile}). The archive's name hashes the JDK and the guardian's
 * classpath: a rebuild with other jars, or another JDK, records a new one (older ones are deleted),
 * and the JVM itself refuses an archive that does not match and starts without it.
 *
 * <p>Only speed depends on it: a guardian behaves the same with or without the archive.
 */
final class SharedClasses {
  private final Path dir;
  private final Path archive;
  private final Path recording;

  private SharedClasses(Path dir, String key) {
    this.dir = dir;
    this.archive = dir.resolve("guardian-" + key + ".jsa");
    this.recording = dir.resolve("guardian-" + key + ".jsa." + ProcessHandle.current().pid());
  }

  /**
   * Where archives are kept: {@code -Dvigil.devnet.class-data=DIR}, else {@code .devnet/class-data}
   * in the repository when run by {@code ./vigil}, else a directory of this user under the temp
   * dir.
   */
  static Path defaultDir() {
    String set = System.getProperty("vigil.devnet.class-data");
    if (set != null && !set.isBlank()) return Path.of(set);
    String home = System.getProperty("vigil.home");
    if (home != null && !home.isBlank()) return Path.of(home, ".devnet", "class-data");
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "vigil-class-data-" + System.getProperty("user.name"));
  }

  /**
   * The archive for guardians started with {@link NodeProcess}'s classpath on this JDK, kept in
   * {@code dir}; empty if {@code dir} cannot be created (then guardians start without).
   */
  static Optional<SharedClasses> in(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return Optional.empty();
    }
    String key =
        sha256(
            System.getProperty("java.home")
                + "\n"
                + System.getProperty("java.vm.version")
                + "\n"
                + NodeProcess.classpath());
    return Optional.of(new SharedClasses(dir, key.substring(0, 16)));
  }

  /** Whether an archive is in place (else guardian 0 of this devnet records one). */
  boolean present() {
    return Files.isRegularFile(archive);
  }

  /** JVM options of guardian {@code i}. */
  List<String> jvmOptions(int i) {
    // the JDK's CDS messages (a mismatch, a class it skips) go to the log file: -Xlog ... off keeps
    // the guardian's log about the guardian
    if (present())
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off");
    if (i == 0)
      return List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xlog:cds=off,cds+dynamic=off");
    return List.of();
  }

  /**
   * After the guardians stopped: moves a complete recording into place and deletes archives of
   * other builds. Returns what it did, for the devnet's log, or empty when there was nothing to do.
   */
  Optional<String> keep() {
    if (!Files.isRegularFile(recording)) return Optional.empty();
    try {
      if (present() || Files.size(recording) == 0) {
        Files.delete(recording);
        return Optional.empty();
      }
      Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "guardian-*.jsa")) {
        for (Path p : old) if (!p.equals(archive)) Files.deleteIfExists(p);
      }
      return Optional.of(
          String.format(
              "recorded the guardians' class-data archive %s (%d MiB): later devnets start faster",
              archive, Files.size(archive) >> 20));
    } catch (IOException e) {
      return Optional.of("could not keep the class-data archive " + archive + ": " + e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
