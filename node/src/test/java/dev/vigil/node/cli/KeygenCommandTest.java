package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.node.transport.GuardianCertificates;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.Secp256k1Backends;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.signing.keystore.KeyFile;
import dev.vigil.testing.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
  @TempDir Path tmp;

  private static Address printedAddress(CommandRun r) {
    Matcher m = Pattern.compile("(?m)^address +(0x[0-9a-fA-F]{40})$").matcher(r.out());
    assertThat(m.find()).as(r.toString()).isTrue();
    return Address.fromHex(m.group(1));
  }

  @Test
  void writesAKeyFileThatOpensWithThePasswordFromAFileAndPrintsOnlyTheAddress() throws IOException {
    Path pw = tmp.resolve("pw.txt");
    Files.writeString(pw, "s3cret\n");
    Path out = tmp.resolve("guardian.json");
    CommandRun r =
        Cli.run(
            "keygen", "--out", out.toString(), "--password-file", pw.toString(), "--kdf", "light");
    assertThat(r.exit()).as(r.toString()).isZero();

    PrivateKey key = KeyFile.load(out, "s3cret".toCharArray());
    Address address = printedAddress(r);
    assertThat(KeyFile.declaredAddress(out)).isEqualTo(address);
    String keyHex = Hex.encode(key.toBytes());
    assertThat(r.out() + r.err()).doesNotContain(keyHex).doesNotContain("s3cret");
    assertThat(r.out()).contains("key file  " + out.toAbsolutePath());
  }

  @Test
  void writesAClusterTlsKeyAndACertificateBoundToTheNewGuardianKey() throws Exception {
    Path out = tmp.resolve("guardian.json");
    CommandRun r =
        Cli.run(
            Map.of("PW", "x"),
            Cli.noTerminal(),
            "keygen",
            "--out",
            out.toString(),
            "--password-env",
            "PW",
            "--kdf",
            "light");
    assertThat(r.exit()).as(r.toString()).isZero();
    Path key = tmp.resolve("guardian.tls.key");
    Path cert = tmp.resolve("guardian.tls.crt");
    assertThat(r.out())
        .contains("tls key   " + key.toAbsolutePath())
        .contains("tls cert  " + cert.toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    TlsIdentity tls = TlsIdentity.load(key, cert);
    assertThat(
            GuardianCertificates.verify(
                tls.certificate(), Secp256k1Backends.preferred(), Instant.now()))
        .as("the certificate proves the printed guardian address")
        .isEqualTo(printedAddress(r));
  }

  @Test
  void readsThePasswordFromAnEnvironmentVariable() throws IOException {
    Path out = tmp.resolve("k.json");
    CommandRun r =
        Cli.run(
            Map.of("MY_PW", "from-env"),
            Cli.noTerminal(),
            "keygen",
            "--out",
            out.toString(),
            "--password-env",
            "MY_PW",
            "--kdf",
            "light");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(KeyFile.load(out, "from-env".toCharArray())).isNotNull();

    CommandRun unset =
        Cli.run(
            Map.of(),
            Cli.noTerminal(),
            "keygen",
            "--out",
            tmp.resolve("k2.json").toString(),
            "--password-env",
            "MY_PW");
    assertThat(unset.exit()).isEqualTo(2);
    assertThat(unset.err()).contains("environment variable MY_PW").contains("not set");
    assertThat(tmp.resolve("k2.json")).doesNotExist();
  }

  @Test
  void asksTwiceOnATerminal() throws IOException {
    Path out = tmp.resolve("typed.json");
    CommandRun r =
        Cli.run(
            Map.of(),
            Cli.typing("typed-pw", "typed-pw"),
            "keygen",
            "--out",
            out.toString(),
            "--kdf",
            "light");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(KeyFile.load(out, "typed-pw".toCharArray())).isNotNull();

    Path mismatch = tmp.resolve("mismatch.json");
    CommandRun m =
        Cli.run(
            Map.of(),
            Cli.typing("one", "two"),
            "keygen",
            "--out",
            mismatch.toString(),
            "--kdf",
            "light");
    assertThat(m.exit()).isEqualTo(2);
    assertThat(m.err()).contains("the passwords do not match; nothing written");
    assertThat(mismatch).doesNotExist();

    CommandRun empty =
        Cli.run(Map.of(), Cli.typing("", ""), "keygen", "--out", mismatch.toString());
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("the password is empty");
  }

  @Test
  void withoutATerminalOrPasswordOptionItSaysWhatToGive() {
    CommandRun r = Cli.run("keygen", "--out", tmp.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "no terminal to ask for the password on; give --password-file FILE or --password-env VAR");
  }

  @Test
  void neverOverwritesAFile() throws IOException {
    Path out = tmp.resolve("existing.json");
    Files.writeString(out, "precious");
    CommandRun r =
        Cli.run(
            Map.of("PW", "x"),
            Cli.noTerminal(),
            "keygen",
            "--out",
            out.toString(),
            "--password-env",
            "PW");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("exists; a key or certificate file is never overwritten");
    assertThat(Files.readString(out)).isEqualTo("precious");
  }

  @Test
  void writesADevKeyWithAWarning() throws Exception {
    Path out = tmp.resolve("dev-2.json");
    CommandRun r =
        Cli.run(
            Map.of("PW", "dev"),
            Cli.noTerminal(),
            "keygen",
            "--dev-index",
            "2",
            "--out",
            out.toString(),
            "--password-env",
            "PW");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(printedAddress(r)).isEqualTo(DevKeys.address(2));
    assertThat(KeyFile.load(out, "dev".toCharArray()).toBytes())
        .isEqualTo(DevKeys.key(2).toBytes());
    assertThat(r.err()).contains("dev key 2 is public").contains("local devnets only");
    assertThat(
            GuardianCertificates.verify(
                TlsIdentity.load(tmp.resolve("dev-2.tls.key"), tmp.resolve("dev-2.tls.crt"))
                    .certificate(),
                Secp256k1Backends.preferred(),
                Instant.now()))
        .isEqualTo(DevKeys.address(2));

    CommandRun outOfRange =
        Cli.run(
            Map.of("PW", "dev"),
            Cli.noTerminal(),
            "keygen",
            "--dev-index",
            "255",
            "--out",
            tmp.resolve("d.json").toString(),
            "--password-env",
            "PW");
    assertThat(outOfRange.exit()).isEqualTo(2);
    assertThat(outOfRange.err()).contains("--dev-index must be 0..254");
  }

  @Test
  void badUsageIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("u.json");
    CommandRun both =
        Cli.run("keygen", "--out", out.toString(), "--password-env", "A", "--password-file", "f");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    CommandRun noOut = Cli.run("keygen", "--password-env", "A");
    assertThat(noOut.exit()).isEqualTo(2);
    assertThat(noOut.err()).contains("Missing required option: '--out=FILE'");
    CommandRun badKdf = Cli.run("keygen", "--out", out.toString(), "--kdf", "weak");
    assertThat(badKdf.exit()).isEqualTo(2);
    assertThat(badKdf.err()).contains("standard, light");
    CommandRun noDir =
        Cli.run(
            Map.of("A", "x"),
            Cli.noTerminal(),
            "keygen",
            "--out",
            tmp.resolve("no/such/dir/k.json").toString(),
            "--password-env",
            "A");
    assertThat(noDir.exit()).isEqualTo(2);
    assertThat(noDir.err()).contains("no directory");
    assertThat(out).doesNotExist();
  }
}
