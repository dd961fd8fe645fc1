package dev.vigil.node.cli;

import dev.vigil.node.config.PasswordSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a guardian key and writes it to a new encrypted key file (Ethereum keystore v3),",
      "and beside it the cluster TLS key and certificate (FILE.tls.key, owner-only, and FILE.tls.crt, without .json):",
      "the certificate carries the guardian key's signature over the TLS key, which is how peers know a member.",
      "Prints the key's address, never the key. Refuses to overwrite a file.",
      "The password comes from --password-file or --password-env; with neither, it is asked twice on the terminal."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:key file written",
      "1:not written (the file exists, or an I/O error)",
      "2:bad usage or password input"
    })
final class KeygenCommand implements Callable<Integer> {
  @ParentCommand Vigil vigil;
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The key file to create (mode 600).")
  Path out;

  @ArgGroup(exclusive = true)
  PasswordOptions password;

  static final class PasswordOptions {
    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "Read the password from FILE (one trailing newline is ignored).")
    Path file;

    @Option(
        names = "--password-env",
        paramLabel = "VAR",
        description = "Read the password from environment variable VAR.")
    String env;
  }

  @Option(
      names = "--kdf",
      paramLabel = "COST",
      defaultValue = "standard",
      description =
          "scrypt cost: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; light is for throwaway keys).")
  KeyGeneration.Kdf kdf;

  @Option(
      names = "--dev-index",
      paramLabel = "I",
      description =
          "Write public dev key I (keccak256(\"vigil-devnet-guardian-\" + I)) instead of a random key. "
              + "Local devnets only: anyone can compute it. Implies --kdf light.")
  Integer devIndex;

  @Override
  public Integer call() {
    Optional<PasswordSource> source =
        password == null
            ? Optional.empty()
            : password.file != null
                ? Optional.of(new PasswordSource.FromFile(password.file))
                : Optional.of(new PasswordSource.FromEnv(password.env));
    var settings =
        new KeyGeneration.Settings(
            out,
            source,
            Optional.ofNullable(devIndex),
            devIndex != null ? KeyGeneration.Kdf.light : kdf);
    return KeyGeneration.run(
        settings, vigil.context(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
