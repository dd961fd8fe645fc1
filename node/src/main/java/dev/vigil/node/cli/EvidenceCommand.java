package dev.vigil.node.cli;

import dev.vigil.evm.EvidenceFeed;
import dev.vigil.evm.VigilStakingContract;
import dev.vigil.node.config.PasswordSource;
import dev.vigil.signing.PrivateKey;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vigil evidence}: equivocation evidence a guardian kept, taken to the staking contract. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = "Equivocation evidence a guardian kept (GET /v1/evidence of its HTTP API).",
    subcommands = {EvidenceCommand.Submit.class})
final class EvidenceCommand implements Runnable {
  @ParentCommand Vigil vigil;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: submit");
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Reads /v1/evidence from a guardian's HTTP API and sends each complete piece (or --index N)"
            + " to VigilStaking.submitEquivocation. Prints per piece the transaction, gas used,"
            + " the amount slashed and the reward, or the contract's error."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:every piece was slashed or had been already",
        "1:a submission failed otherwise (refused, unreachable chain or node), or --index names an"
            + " incomplete piece",
        "2:bad usage, or the key cannot be read"
      })
  static final class Submit implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--api",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:7201",
        description = "The guardian's HTTP API (default: ${DEFAULT-VALUE}).")
    URI api;

    @Option(
        names = "--rpc",
        required = true,
        paramLabel = "URL",
        description = "JSON-RPC of the chain with VigilStaking.")
    URI rpc;

    @Option(
        names = "--staking",
        required = true,
        paramLabel = "0x..",
        description = "VigilStaking's address.")
    String staking;

    @Option(
        names = "--index",
        paramLabel = "N",
        description = "Only piece N (0 is the first /v1/evidence lists).")
    Integer index;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Key key;

    static final class Key {
      @Option(
          names = "--key",
          paramLabel = "FILE",
          description =
              "The sending account's key file (keystore v3, as vigil keygen writes); its password"
                  + " from --password-file or the variable VIGIL_KEY_PASSWORD.")
      Path file;

      @Option(
          names = "--key-env",
          paramLabel = "VAR",
          description =
              "An environment variable holding the sending account's key (64 hex digits).")
      String env;
    }

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "The key file's password.")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!staking.matches("0x[0-9a-fA-F]{40}")) {
        err.println(
            "vigil evidence submit: --staking must be 0x and 40 hex digits, got " + staking);
        return Vigil.EXIT_USAGE;
      }
      Credentials account;
      try {
        account = credentials(parent.vigil.context().env());
      } catch (IOException | IllegalArgumentException e) {
        err.println("vigil evidence submit: " + e.getMessage());
        return Vigil.EXIT_USAGE;
      }
      List<EvidenceFeed.Piece> pieces;
      VigilStakingContract contract;
      try {
        pieces = EvidenceSubmitter.fetch(api);
        contract = VigilStakingContract.at(EvidenceSubmitter.client(rpc, account), staking);
      } catch (IOException e) {
        err.println("vigil evidence submit: " + e.getMessage());
        return Vigil.EXIT_FAILED;
      }
      out.println(
          pieces.size()
              + " piece(s) of evidence at "
              + api
              + "; submitting from "
              + account.getAddress());
      boolean ok =
          new EvidenceSubmitter(out)
              .submit(
                  pieces, contract, index == null ? OptionalInt.empty() : OptionalInt.of(index));
      out.flush();
      return ok ? 0 : Vigil.EXIT_FAILED;
    }

    /** The account, from the key file or the variable; the key is never printed. */
    private Credentials credentials(java.util.Map<String, String> env) throws IOException {
      if (key.env != null) {
        String v = env.get(key.env);
        if (v == null) throw new IOException("environment variable " + key.env + " is not set");
        if (!v.strip().matches("(0x)?[0-9a-fA-F]{64}"))
          throw new IOException(
              "environment variable " + key.env + " does not hold 64 hex digits (value not shown)");
        return Credentials.create(v.strip());
      }
      PasswordSource source =
          passwordFile != null
              ? new PasswordSource.FromFile(passwordFile)
              : new PasswordSource.FromEnv(PasswordSource.DEFAULT_ENV);
      char[] password = source.read(env);
      try {
        PrivateKey k = KeyFile.load(key.file, password);
        byte[] raw = k.toBytes();
        try {
          return Credentials.create(org.web3j.crypto.ECKeyPair.create(raw));
        } finally {
          Arrays.fill(raw, (byte) 0);
          k.destroy();
        }
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }
}
