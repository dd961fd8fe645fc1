package dev.vigil.node.config;

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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A valid node file in a temp dir, to load as is or with extra HOCON appended (later keys win):
 * guardian 0 of a 4-member committee of dev keys 0..3, two chains, its key file encrypted under a
 * password taken from the variable G0_PASSWORD.
 */
public final class NodeFiles {
  public static final String PASSWORD = "correct horse battery staple";
  public static final String PASSWORD_ENV = "G0_PASSWORD";

  public final Path dir;
  private final AtomicInteger count = new AtomicInteger();

  private NodeFiles(Path dir) {
    this.dir = dir;
  }

  public static NodeFiles create(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("keys"));
    DevKeys.writeKeyFile(0, dir.resolve("keys/g0.json"), PASSWORD.toCharArray());
    DevKeys.writeKeyFile(5, dir.resolve("keys/outsider.json"), PASSWORD.toCharArray());
    writeTls(0, dir.resolve("keys/g0.tls.key"), dir.resolve("keys/g0.tls.crt"));
    writeTls(1, dir.resolve("keys/g1.tls.key"), dir.resolve("keys/g1.tls.crt"));
    Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
    Files.writeString(
        dir.resolve("committee.conf"),
        """
        vigil.node {
          committee {
            index = 7
            members = [%s, %s, %s, %s]
          }
          governance { chain = 1, address = "0x0000000000000000000000000000000000000000000000000000000000000004" }
          chains {
            alpha {
              id = 1
              rpc-urls = ["http://127.0.0.1:8545", "http://127.0.0.1:8546/backup"]
              core-address = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
            }
            beta {
              id = 2
              rpc-urls = ["https://rpc.example.org/v1/secret-api-key"]
              core-address = "0x00000000000000000000000000000000000c0de2"
              finality { confirmations = 5 }
              poll-interval = 250ms
              start-block = 19000000
              max-backoff = 30s
              rpc-timeout = 3s
              max-block-range = 50
            }
          }
          cluster.seed-nodes = ["127.0.0.1:7401", "127.0.0.1:7402"]
        }
        """
            .formatted(q(0), q(1), q(2), q(3)));
    Files.writeString(
        dir.resolve("node.conf"),
        """
        include required("committee.conf")
        vigil.node {
          name = "g0"
          data-dir = "data/g0"
          key.file = "keys/g0.json"
          key.password-env = "%s"
          cluster.port = 7401
          http.port = 7501
        }
        """
            .formatted(PASSWORD_ENV));
    return new NodeFiles(dir);
  }

  /** Dev key {@code devKey}'s cluster TLS key and certificate, as vigil keygen writes them. */
  static void writeTls(int devKey, Path keyFile, Path certFile) throws IOException {
    KeyPair tls = GuardianCertificates.newTlsKeyPair();
    PrivateKey key = DevKeys.key(devKey);
    try {
      TlsIdentity.write(
          tls,
          GuardianCertificates.issue(
              tls,
              new LocalKeySigner(key, Secp256k1Backends.preferred()),
              Instant.now(),
              Duration.ofDays(1)),
          keyFile,
          certFile);
    } finally {
      key.destroy();
    }
  }

  private static String q(int devKey) {
    return "\"" + DevKeys.address(devKey).toChecksumHex() + "\"";
  }

  public Path node() {
    return dir.resolve("node.conf");
  }

  /** A copy of the node file with {@code extra} appended. */
  public Path with(String extra) throws IOException {
    Path p = dir.resolve("node-" + count.incrementAndGet() + ".conf");
    Files.writeString(p, Files.readString(node()) + "\n" + extra + "\n");
    return p;
  }

  public static Map<String, String> env() {
    return Map.of(PASSWORD_ENV, PASSWORD);
  }

  static LoadOptions strict() {
    return new LoadOptions(true, env());
  }
}
