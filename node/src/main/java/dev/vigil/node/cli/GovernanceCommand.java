package dev.vigil.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.consensus.attestation.Body;
import dev.vigil.consensus.governance.CommitteeRotation;
import dev.vigil.consensus.governance.GovernanceCodec;
import dev.vigil.consensus.governance.GovernanceRules;
import dev.vigil.consensus.governance.RotationResult;
import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.governance.GovernanceInjection;
import dev.vigil.node.run.GuardianRuntime;
import dev.vigil.signing.Address;
import dev.vigil.signing.Hex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil governance}: builds a governance action (a committee rotation) from what the
 * operators agreed on, prints exactly what would be signed, and injects it into the operator's own
 * running guardian through its admin socket.
 */
@Command(
    name = "governance",
    mixinStandardHelpOptions = true,
    description = {
      "Governance actions that the operators control: each operator builds the same action, compares the printed",
      "digest with the others, and injects it into their own guardian (admin socket). A quorum of injections attests it."
    },
    subcommands = {GovernanceCommand.Rotation.class, GovernanceCommand.Inject.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:printed (rotation), or injected and signed by the node (inject)",
      "1:the node refused the action or does not answer (the error says why)",
      "2:bad usage, or the action breaks the rules (the error names the field)"
    })
final class GovernanceCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  @ParentCommand Vigil vigil;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: rotation or inject");
  }

  /** What every operator must give identically: the action and its message identity. */
  static final class Action {
    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "The node file: its governance emitter, and its data dir for the socket.")
    Path config;

    @Option(
        names = "--new-index",
        required = true,
        description = "The committee index the rotation installs: the current index + 1.")
    long newIndex;

    @Option(
        names = "--members",
        required = true,
        split = ",",
        paramLabel = "ADDRESS",
        description = "The new committee in signer-index order, comma-separated addresses.")
    List<String> members;

    @Option(
        names = "--sequence",
        required = true,
        description =
            "The action's sequence under the governance emitter: agreed by the operators, never reused.")
    long sequence;

    @Option(
        names = "--timestamp",
        required = true,
        description = "Unix seconds, agreed by the operators (part of what is signed).")
    long timestamp;

    @Option(names = "--nonce", defaultValue = "0", description = "Default ${DEFAULT-VALUE}.")
    long nonce;

    @Option(
        names = "--target-chain",
        defaultValue = "0",
        description = "0 (all chains, the default) is the only target a node signs.")
    int targetChain;
  }

  /** The checked body, or a usage error naming the field. */
  static Body build(Action a, NodeSettings s, CommandSpec spec) {
    List<Address> members = new ArrayList<>();
    for (String m : a.members) {
      try {
        members.add(Address.fromHex(m.trim()));
      } catch (RuntimeException e) {
        throw new ParameterException(
            spec.commandLine(), "--members: '" + m + "' is not an address (0x + 40 hex)");
      }
    }
    Body body;
    try {
      GovernanceRules rules = new GovernanceRules(s.governance().chain(), s.governance().emitter());
      body =
          rules.rotationBody(
              a.sequence,
              a.nonce,
              a.timestamp,
              new CommitteeRotation(a.targetChain, a.newIndex, members));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    // The same checks as the node's, short of the current index: a typo fails here, before anyone
    // compares digests.
    RotationResult decoded = GovernanceCodec.decodeRotation(body.payload());
    if (!(decoded instanceof RotationResult.Ok))
      throw new ParameterException(spec.commandLine(), "the rotation breaks the rules: " + decoded);
    if (a.targetChain != 0)
      throw new ParameterException(
          spec.commandLine(),
          "--target-chain: guardians sign rotations for all chains (0) only, got " + a.targetChain);
    return body;
  }

  static void print(PrintWriter out, ObjectNode o) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Command(
      name = "rotation",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the committee rotation the options describe, exactly as a guardian would sign it: body, digest,",
        "members. Nothing is sent anywhere: compare the digest with the other operators first."
      })
  static final class Rotation implements Callable<Integer> {
    @ParentCommand GovernanceCommand parent;
    @Spec CommandSpec spec;
    @Mixin Action action;

    @Override
    public Integer call() {
      NodeSettings s =
          NodeSettings.load(action.config, new LoadOptions(false, parent.vigil.context().env()));
      Body body = build(action, s, spec);
      ObjectNode o =
          GovernanceInjection.describe(
              body, GovernanceCodec.decodeRotation(body.payload()).orElseThrow());
      o.put(
          "next",
          "every operator checks that this digest matches, then runs: vigil governance inject (same options)");
      print(spec.commandLine().getOut(), o);
      return 0;
    }
  }

  @Command(
      name = "inject",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the rotation (as `vigil governance rotation` does) and injects it into this operator's running guardian",
        "through DATA-DIR/admin.sock. The guardian checks it against the rules and signs it under the double-sign guard."
      })
  static final class Inject implements Callable<Integer> {
    @ParentCommand GovernanceCommand parent;
    @Spec CommandSpec spec;
    @Mixin Action action;

    @Option(
        names = "--socket",
        paramLabel = "PATH",
        description = "The admin socket, if not DATA-DIR/admin.sock of the node file.")
    Path socket;

    @Override
    public Integer call() {
      NodeSettings s =
          NodeSettings.load(action.config, new LoadOptions(false, parent.vigil.context().env()));
      Body body = build(action, s, spec);
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "injecting "
              + body.messageId()
              + " digest "
              + body.digest().toHex()
              + " (rotation to committee "
              + action.newIndex
              + ", "
              + action.members.size()
              + " members)");
      ObjectNode req = JSON.createObjectNode();
      req.put("command", "governance-inject");
      req.put("body", Hex.encode0x(body.encode()));
      Path where = socket != null ? socket : s.dataDir().resolve(GuardianRuntime.ADMIN_SOCKET);
      return AdminCommand.exchange(where, req, spec.commandLine().getOut(), err);
    }
  }
}
