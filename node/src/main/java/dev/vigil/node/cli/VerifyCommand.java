package dev.vigil.node.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes an attestation (a Wormhole VAA v1), prints every field and the address each signature recovers to,",
      "and verifies it against a committee. An attestation v2 (threshold mode: one FROST signature) is verified",
      "against the committee's group key (--group-key)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:valid",
      "1:invalid (the verdict says which rule it breaks)",
      "2:bad usage or unreadable input"
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--committee",
      required = true,
      paramLabel = "FILE",
      description =
          "The committee's members: one address per line in signer-index order; '#' starts a comment.")
  Path committee;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "N",
      description = "The committee's index (u32).")
  long index;

  @Option(
      names = "--group-key",
      paramLabel = "HEX",
      description =
          "For a v2 attestation: the committee's FROST group key, 33 bytes compressed (0x02.. or 0x03..).")
  String groupKey;

  @Parameters(
      index = "0",
      paramLabel = "ATTESTATION",
      description =
          "The attestation as hex (0x optional), base64, or @FILE (a file holding hex, base64 or raw bytes).")
  String attestation;

  @Override
  public Integer call() {
    return AttestationReport.run(
        new AttestationReport.Settings(committee, index, attestation, groupKey),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
