package dev.vigil.devnet;

import dev.vigil.node.transport.GuardianCertificates;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.keystore.DevKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Comparator;

/**
 * The devnet's work dir, wiped at start: each guardian's key file (public dev keys, one shared
 * password), node file, hosts file and log.
 */
final class GuardianFiles {
  private static final String PASSWORD = "devnet";

  private final Path workDir;

  private GuardianFiles(Path workDir) {
    this.workDir = workDir;
  }

  /** Wipes {@code workDir} and writes the key password file. */
  static GuardianFiles create(Path workDir) {
    wipe(workDir);
    GuardianFiles f = new GuardianFiles(workDir);
    write(f.passwordFile(), PASSWORD + "\n");
    return f;
  }

  Path passwordFile() {
    return workDir.resolve("password.txt").toAbsolutePath();
  }

  /** Writes guardian {@code i}'s encrypted dev key; returns the file (absolute). */
  Path writeKey(int i) {
    Path keyFile = workDir.resolve("keys/guardian-" + i + ".json").toAbsolutePath();
    try {
      Files.createDirectories(keyFile.getParent());
      DevKeys.writeKeyFile(i, keyFile, PASSWORD.toCharArray());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write guardian " + i + "'s key file " + keyFile + ": " + e.getMessage(), e);
    }
    return keyFile;
  }

  /**
   * Writes guardian {@code i}'s cluster TLS key and a certificate bound to its dev key, as vigil
   * keygen does.
   */
  NodeFile.Tls writeTls(int i) {
    Path keyFile = workDir.resolve("keys/guardian-" + i + ".tls.key").toAbsolutePath();
    Path certFile = workDir.resolve("keys/guardian-" + i + ".tls.crt").toAbsolutePath();
    PrivateKey key = DevKeys.key(i);
    try {
      Files.createDirectories(keyFile.getParent());
      KeyPair tls = GuardianCertificates.newTlsKeyPair();
      TlsIdentity.write(
          tls,
          GuardianCertificates.issue(
              tls,
              new LocalKeySigner(key, Secp256k1Backends.preferred()),
              Instant.now(),
              GuardianCertificates.DEFAULT_VALIDITY),
          keyFile,
          certFile);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write guardian " + i + "'s TLS files " + keyFile + ": " + e.getMessage(), e);
    } finally {
      key.destroy();
    }
    return new NodeFile.Tls(keyFile, certFile);
  }

  /** Writes the node file; returns it. */
  Path writeNodeFile(NodeFile file) {
    Path conf = workDir.resolve("guardian-" + file.index() + ".conf");
    file.write(conf);
    return conf;
  }

  /** Writes guardian {@code i}'s hosts file; returns it (absolute). */
  Path writeHostsFile(int i, String content) {
    return write(workDir.resolve("hosts/guardian-" + i).toAbsolutePath(), content);
  }

  Path logFile(int i) {
    return workDir.resolve("logs/guardian-" + i + ".log");
  }

  private static Path write(Path f, String content) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, content);
      return f;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  private static void wipe(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (var walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot prepare the devnet work dir " + dir + ": " + e.getMessage(), e);
    }
  }
}
