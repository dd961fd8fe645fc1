package dev.vigil.node.cli;

import dev.vigil.node.config.PasswordSource;
import dev.vigil.node.transport.GuardianCertificates;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.Address;
import dev.vigil.signing.LocalKeySigner;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.keystore.KdfParams;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** `vigil keygen`: a new key (or a dev key) into a new key file. */
final class KeyGeneration {
  enum Kdf {
    standard(KdfParams.STANDARD),
    light(KdfParams.LIGHT);

    final KdfParams params;

    Kdf(KdfParams params) {
      this.params = params;
    }
  }

  record Settings(
      Path out, Optional<PasswordSource> password, Optional<Integer> devIndex, Kdf kdf) {}

  private KeyGeneration() {}

  static int run(Settings s, Vigil.Context ctx, PrintWriter out, PrintWriter err) {
    Path file = s.out().toAbsolutePath().normalize();
    if (s.devIndex().isPresent()
        && (s.devIndex().get() < 0 || s.devIndex().get() > DevKeys.MAX_INDEX)) {
      err.println(
          "vigil keygen: --dev-index must be 0.."
              + DevKeys.MAX_INDEX
              + ", got "
              + s.devIndex().get());
      return Vigil.EXIT_USAGE;
    }
    Path tlsKey = tlsKeyFile(file);
    Path tlsCert = tlsCertFile(file);
    for (Path p : new Path[] {file, tlsKey, tlsCert}) {
      if (Files.exists(p)) {
        err.println(
            "vigil keygen: "
                + p
                + " exists; a key or certificate file is never overwritten (choose another --out)");
        return Vigil.EXIT_FAILED;
      }
    }
    if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
      err.println("vigil keygen: no directory " + file.getParent() + " for the key file");
      return Vigil.EXIT_USAGE;
    }
    char[] password;
    try {
      password =
          s.password().isPresent() ? s.password().get().read(ctx.env()) : prompt(ctx.prompt());
    } catch (IOException | IllegalArgumentException e) {
      err.println("vigil keygen: " + e.getMessage());
      return Vigil.EXIT_USAGE;
    }
    try {
      Address address;
      PrivateKey key =
          s.devIndex().isPresent()
              ? DevKeys.key(s.devIndex().get())
              : PrivateKey.random(new SecureRandom());
      try {
        address =
            s.devIndex().isPresent()
                ? DevKeys.writeKeyFile(s.devIndex().get(), file, password)
                : KeyFile.create(file, password, key, s.kdf().params);
        // the cluster's TLS key, bound to the guardian key by the guardian key's signature over it
        KeyPair tls = GuardianCertificates.newTlsKeyPair();
        X509Certificate cert =
            GuardianCertificates.issue(
                tls,
                new LocalKeySigner(key, Secp256k1Backends.preferred()),
                Instant.now(),
                GuardianCertificates.DEFAULT_VALIDITY);
        TlsIdentity.write(tls, cert, tlsKey, tlsCert);
      } finally {
        key.destroy();
      }
      out.println("address   " + address);
      out.println("key file  " + file);
      out.println("tls key   " + tlsKey);
      out.println("tls cert  " + tlsCert);
      if (s.devIndex().isPresent()) {
        err.println(
            "warning: dev key "
                + s.devIndex().get()
                + " is public (keccak256(\""
                + DevKeys.SEED_PREFIX
                + s.devIndex().get()
                + "\")); for local devnets only");
      }
      return 0;
    } catch (FileAlreadyExistsException e) {
      err.println(
          "vigil keygen: "
              + file
              + " exists; a key file is never overwritten (choose another --out)");
      return Vigil.EXIT_FAILED;
    } catch (IOException e) {
      err.println("vigil keygen: cannot write " + file + ": " + e.getMessage());
      return Vigil.EXIT_FAILED;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * The cluster TLS key written beside key file {@code keyFile}: guardian.json gives
   * guardian.tls.key.
   */
  static Path tlsKeyFile(Path keyFile) {
    return keyFile.resolveSibling(stem(keyFile) + ".tls.key");
  }

  static Path tlsCertFile(Path keyFile) {
    return keyFile.resolveSibling(stem(keyFile) + ".tls.crt");
  }

  private static String stem(Path keyFile) {
    String name = keyFile.getFileName().toString();
    return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
  }

  private static char[] prompt(PasswordPrompt prompt) throws IOException {
    if (!prompt.available()) {
      throw new IOException(
          "no terminal to ask for the password on; give --password-file FILE or --password-env VAR");
    }
    char[] first = prompt.read("Password for the new key file: ");
    if (first == null || first.length == 0) {
      if (first != null) Arrays.fill(first, '\0');
      throw new IOException("the password is empty");
    }
    char[] second = prompt.read("Repeat the password: ");
    try {
      if (second == null || !Arrays.equals(first, second)) {
        Arrays.fill(first, '\0');
        throw new IOException("the passwords do not match; nothing written");
      }
      return first;
    } finally {
      if (second != null) Arrays.fill(second, '\0');
    }
  }
}
