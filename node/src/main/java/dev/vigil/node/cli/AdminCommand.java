package dev.vigil.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.node.config.LoadOptions;
import dev.vigil.node.config.NodeSettings;
import dev.vigil.node.run.GuardianRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vigil admin}: steers a running guardian through its admin socket (owner-only, in its data
 * dir). Each subcommand prints the node's JSON answer.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Steers a running guardian through its admin socket (DATA-DIR/admin.sock, owner-only; run as the node's user).",
      "Prints the node's answer as JSON."
    },
    subcommands = {
      AdminCommand.Pending.class,
      AdminCommand.Rpc.class,
      AdminCommand.Evidence.class,
      AdminCommand.Reobserve.class,
      AdminCommand.FindMissing.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the node answered and did it",
      "1:no node answers at the socket, or the node refused the request (the error says why)",
      "2:bad usage"
    })
final class AdminCommand implements Runnable {
  @ParentCommand Vigil vigil;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: pending, rpc, evidence, reobserve or find-missing");
  }

  /** Where the node's admin socket is: given, or in the data dir of its node file. */
  static final class Target {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static final class Where {
      @Option(names = "--socket", paramLabel = "PATH", description = "The admin socket.")
      Path socket;

      @Option(
          names = "--config",
          paramLabel = "FILE",
          description = "The node file: the socket is DATA-DIR/admin.sock.")
      Path config;
    }

    Path socket(Vigil vigil) {
      if (where.socket != null) return where.socket;
      NodeSettings s =
          NodeSettings.load(where.config, new LoadOptions(false, vigil.context().env()));
      return s.dataDir().resolve(GuardianRuntime.ADMIN_SOCKET);
    }
  }

  /**
   * Sends one request to the admin socket and prints the node's answer; 0 if the node did it, 1 if
   * nobody answers or the node refused (the error printed says why).
   */
  static int exchange(Path socket, ObjectNode request, PrintWriter out, PrintWriter err) {
    ObjectMapper json = Request.JSON;
    JsonNode answer;
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Channels.newOutputStream(c)
          .write((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      String line =
          new BufferedReader(
                  new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))
              .readLine();
      if (line == null) {
        err.println(
            "vigil admin: the node at " + socket + " closed the connection without an answer");
        return Vigil.EXIT_FAILED;
      }
      answer = json.readTree(line);
    } catch (IOException e) {
      err.println(
          "vigil admin: no node answers at "
              + socket
              + " ("
              + e.getMessage()
              + "): is it running with this data dir, and are you its user?");
      return Vigil.EXIT_FAILED;
    }
    if (!answer.path("ok").asBoolean(false)) {
      err.println(
          "vigil admin: the node refused: " + answer.path("error").asText("(no reason given)"));
      return Vigil.EXIT_FAILED;
    }
    ((ObjectNode) answer).remove("ok");
    try {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return 0;
  }

  /** Sends one request and prints the answer; the exit code says whether the node did it. */
  abstract static class Request implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand AdminCommand admin;
    @Spec CommandSpec spec;
    @Mixin Target target;

    abstract ObjectNode request();

    @Override
    public Integer call() {
      return exchange(
          target.socket(admin.vigil),
          request(),
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }

    ObjectNode command(String name) {
      ObjectNode o = JSON.createObjectNode();
      o.put("command", name);
      return o;
    }
  }

  @Command(
      name = "pending",
      mixinStandardHelpOptions = true,
      description = "Messages without quorum yet, oldest first: who has signed and who has not.")
  static final class Pending extends Request {
    @Option(
        names = "--limit",
        defaultValue = "1000",
        description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    ObjectNode request() {
      return command("pending").put("limit", limit);
    }
  }

  @Command(
      name = "rpc",
      mixinStandardHelpOptions = true,
      description = "Each chain's RPC endpoints and their state: heights, errors, the last error.")
  static final class Rpc extends Request {
    @Override
    ObjectNode request() {
      return command("rpc");
    }
  }

  @Command(
      name = "evidence",
      mixinStandardHelpOptions = true,
      description =
          "Every equivocation this guardian kept, as /v1/evidence serves it (to export or submit).")
  static final class Evidence extends Request {
    @Override
    ObjectNode request() {
      return command("evidence");
    }
  }

  @Command(
      name = "reobserve",
      mixinStandardHelpOptions = true,
      description =
          "Re-reads one transaction and signs the final messages in it (never another digest than before).")
  static final class Reobserve extends Request {
    @Option(names = "--chain", required = true, description = "The Vigil chain id.")
    int chain;

    @Option(
        names = "--tx",
        required = true,
        paramLabel = "HASH",
        description = "The transaction hash (0x + 64 hex).")
    String tx;

    @Override
    ObjectNode request() {
      return command("reobserve").put("chain", chain).put("tx", tx);
    }
  }

  @Command(
      name = "find-missing",
      mixinStandardHelpOptions = true,
      description = {
        "Scans blocks FROM..TO of a chain for final messages without an attestation here, signs them",
        "and asks the peers for theirs (re-read requests while a quorum is missing)."
      })
  static final class FindMissing extends Request {
    @Option(names = "--chain", required = true, description = "The Vigil chain id.")
    int chain;

    @Option(names = "--from", required = true, description = "First block.")
    long from;

    @Option(
        names = "--to",
        required = true,
        description = "Last block (at most 100000 blocks in all).")
    long to;

    @Override
    ObjectNode request() {
      return command("find-missing").put("chain", chain).put("from", from).put("to", to);
    }
  }
}
