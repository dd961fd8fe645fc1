package dev.vigil.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.evm.EvmClient;
import dev.vigil.node.config.NodeFiles;
import dev.vigil.node.run.GuardianRejoinIT;
import dev.vigil.signing.Address;
import dev.vigil.signing.keystore.DevKeys;
import dev.vigil.testing.cli.CommandRun;
import dev.vigil.testing.evm.Anvil;
import dev.vigil.testing.evm.EvmToolchain;
import dev.vigil.testing.evm.LocalChain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil admin} against a running guardian (its own process, a real anvil chain): member 0 of
 * a committee of four runs alone, so what it observes stays pending. Each admin command is run the
 * way an operator runs it, and its answer checked.
 */
class AdminIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void anOperatorSteersARunningGuardianThroughItsAdminSocket() throws Exception {
    List<Address> committee = IntStream.range(0, 4).mapToObj(DevKeys::address).toList();
    try (LocalChain chain =
        LocalChain.start(EvmToolchain.locate(), Anvil.Options.defaults(31341), 1, 7, committee)) {
      EvmClient.Published a =
          chain
              .client(1)
              .publishMessage(
                  chain.coreAddress(), 1, "first".getBytes(StandardCharsets.UTF_8), 200);
      EvmClient.Published b =
          chain
              .client(1)
              .publishMessage(
                  chain.coreAddress(), 2, "second".getBytes(StandardCharsets.UTF_8), 200);
      int cluster = freePort(), http = freePort(), closed = freePort();
      NodeFiles files = NodeFiles.create(dir);
      Path node =
          files.with(
              """
              vigil.node.cluster { port = %d, seed-nodes = ["127.0.0.1:%d"] }
              vigil.node.http.port = %d
              vigil.node.chains.alpha { rpc-urls = ["%s"], core-address = "%s", start-block = 0 }
              vigil.node.chains.beta.rpc-urls = ["http://127.0.0.1:%d"]
              """
                  .formatted(cluster, cluster, http, chain.rpcUrl(), chain.coreAddress(), closed));
      Path log = dir.resolve("g0.log");
      Process g0 =
          GuardianRejoinIT.vigil(
              log, "run", "--config", node.toString(), "--unsafe-allow-dev-keys");
      try {
        Path socket = dir.resolve("data/g0/admin.sock");
        await(
            "the guardian is up",
            g0,
            log,
            () ->
                GuardianRejoinIT.answers(
                    HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + http + "/healthz")));
        assertThat(Files.getPosixFilePermissions(socket))
            .as("the admin socket is its owner's only")
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // pending: both messages, signed by member 0 only
        JsonNode pending =
            awaitAnswer(
                g0,
                log,
                p -> p.path("pending").size() == 2,
                "admin",
                "pending",
                "--config",
                node.toString());
        assertThat(pending.path("quorum").asInt()).isEqualTo(3);
        for (JsonNode m : pending.path("pending")) {
          assertThat(m.path("observedHere").asBoolean()).isTrue();
          assertThat(indices(m.path("signed"))).containsExactly(0);
          assertThat(indices(m.path("notSigned"))).containsExactly(1, 2, 3);
          assertThat(m.path("notSigned").get(0).path("address").asText())
              .isEqualTo(DevKeys.address(1).toChecksumHex());
        }

        // rpc: alpha answers, beta's only endpoint does not
        JsonNode rpc = answer("admin", "rpc", "--socket", socket.toString());
        JsonNode alpha = chainNamed(rpc, "alpha");
        assertThat(alpha.path("state").asText()).isEqualTo("ok");
        assertThat(alpha.path("head").asLong()).isGreaterThanOrEqualTo(b.blockNumber());
        assertThat(alpha.path("endpoints").get(0).asText()).startsWith("http://127.0.0.1:");
        assertThat(alpha.path("inUse").asText())
            .as("the endpoint read now")
            .startsWith("http://127.0.0.1:");
        JsonNode failing =
            awaitAnswer(
                g0,
                log,
                r -> chainNamed(r, "beta").path("state").asText().equals("failing"),
                "admin",
                "rpc",
                "--socket",
                socket.toString());
        assertThat(chainNamed(failing, "beta").path("lastError").asText()).isNotEmpty();

        // reobserve one transaction, then find what is missing over the whole range
        JsonNode re =
            answer(
                "admin",
                "reobserve",
                "--socket",
                socket.toString(),
                "--chain",
                "1",
                "--tx",
                a.txHash());
        assertThat(re.path("messages")).hasSize(1);
        assertThat(re.path("messages").get(0).path("block").asLong()).isEqualTo(a.blockNumber());
        assertThat(re.path("messages").get(0).path("attestedHere").asBoolean()).isFalse();
        JsonNode missing =
            answer(
                "admin",
                "find-missing",
                "--socket",
                socket.toString(),
                "--chain",
                "1",
                "--from",
                "0",
                "--to",
                String.valueOf(b.blockNumber()));
        assertThat(missing.path("finalMessages").asInt()).isEqualTo(2);
        assertThat(missing.path("attested").asInt()).isZero();
        assertThat(missing.path("missing"))
            .extracting(m -> m.path("txHash").asText())
            .containsExactlyInAnyOrder(a.txHash(), b.txHash());
        assertThat(read(log))
            .contains(
                "admin: find-missing on chain 1 blocks 0.."
                    + b.blockNumber()
                    + ": 2 final messages");

        // evidence: none kept, in /v1/evidence's form
        JsonNode evidence = answer("admin", "evidence", "--socket", socket.toString());
        assertThat(evidence.path("total").asLong()).isZero();
        assertThat(evidence.path("evidence")).isEmpty();

        // mistakes are named
        CommandRun wrongChain =
            run(
                "admin",
                "reobserve",
                "--socket",
                socket.toString(),
                "--chain",
                "9",
                "--tx",
                a.txHash());
        assertThat(wrongChain.exit()).isEqualTo(1);
        assertThat(wrongChain.err()).contains("this guardian watches no chain 9");
        CommandRun badTx =
            run(
                "admin",
                "reobserve",
                "--socket",
                socket.toString(),
                "--chain",
                "1",
                "--tx",
                "0x12");
        assertThat(badTx.exit()).isEqualTo(1);
        assertThat(badTx.err())
            .contains("'tx' must be a transaction hash (0x + 64 hex), got '0x12'");
        CommandRun tooWide =
            run(
                "admin",
                "find-missing",
                "--socket",
                socket.toString(),
                "--chain",
                "1",
                "--from",
                "0",
                "--to",
                "200000");
        assertThat(tooWide.exit()).isEqualTo(1);
        assertThat(tooWide.err()).contains("is more than 100000 blocks; scan it in parts");

        // governance: the rotation printed for comparison is the one the node signs
        String fiveMembers =
            String.join(
                ",", IntStream.range(0, 5).mapToObj(i -> DevKeys.address(i).toHex()).toList());
        String[] action = {
          "--config",
          node.toString(),
          "--new-index",
          "8",
          "--members",
          fiveMembers,
          "--sequence",
          "7",
          "--timestamp",
          "1765000000"
        };
        JsonNode printed = answer(concat(new String[] {"governance", "rotation"}, action));
        // this guardian serves committee 7 (its node file): the rotation installs 8
        assertThat(printed.path("rotation").path("newIndex").asLong()).isEqualTo(8);
        assertThat(printed.path("rotation").path("members")).hasSize(5);
        assertThat(printed.path("rotation").path("quorum").asInt()).isEqualTo(4);
        JsonNode injected = answer(concat(new String[] {"governance", "inject"}, action));
        assertThat(injected.path("signed").asBoolean()).isTrue();
        assertThat(injected.path("digest").asText())
            .as("the node signs exactly the digest the operators compared")
            .isEqualTo(printed.path("digest").asText());
        JsonNode govPending =
            awaitAnswer(
                g0,
                log,
                p -> p.path("pending").size() == 3,
                "admin",
                "pending",
                "--config",
                node.toString());
        assertThat(govPending.path("pending"))
            .extracting(m -> m.path("digest").asText())
            .contains(printed.path("digest").asText());
        // the double-sign guard: another body under the same sequence is refused, nothing signed
        String[] other = action.clone();
        other[other.length - 1] = "1765000001";
        CommandRun twice = run(concat(new String[] {"governance", "inject"}, other));
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.err()).contains("already signed another body for");
        // the rules: a rotation must install current + 1
        String[] skip = action.clone();
        skip[3] = "9";
        CommandRun wrongIndex = run(concat(new String[] {"governance", "inject"}, skip));
        assertThat(wrongIndex.exit()).isEqualTo(1);
        assertThat(wrongIndex.err()).contains("WRONG_NEW_INDEX").contains("expected 8");
        CommandRun duplicate =
            run(
                "governance",
                "rotation",
                "--config",
                node.toString(),
                "--new-index",
                "8",
                "--members",
                DevKeys.address(0).toHex() + "," + DevKeys.address(0).toHex(),
                "--sequence",
                "8",
                "--timestamp",
                "1765000000");
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains("DUPLICATE_MEMBER");
        assertThat(read(log)).contains("admin: governance action injected and signed");
      } finally {
        g0.destroy();
        assertThat(g0.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(dir.resolve("data/g0/admin.sock"))
          .as("removed when the node stops")
          .doesNotExist();
      CommandRun down =
          run("admin", "pending", "--socket", dir.resolve("data/g0/admin.sock").toString());
      assertThat(down.exit()).isEqualTo(1);
      assertThat(down.err()).contains("no node answers at").contains("is it running");
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static JsonNode chainNamed(JsonNode rpc, String name) {
    for (JsonNode c : rpc.path("chains")) if (c.path("name").asText().equals(name)) return c;
    throw new AssertionError("no chain " + name + " in " + rpc);
  }

  static List<Integer> indices(JsonNode members) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode m : members) out.add(m.path("index").asInt());
    return out;
  }

  static CommandRun run(String... args) {
    return Cli.run(NodeFiles.env(), Cli.noTerminal(), args);
  }

  static JsonNode answer(String... args) throws IOException {
    CommandRun r = run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  static JsonNode awaitAnswer(Process g, Path log, Predicate<JsonNode> ok, String... args)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    CommandRun last = null;
    while (System.nanoTime() < deadline) {
      assertThat(g.isAlive()).as("the guardian runs; its log:%n%s", read(log)).isTrue();
      last = run(args);
      if (last.exit() == 0 && ok.test(JSON.readTree(last.out()))) return JSON.readTree(last.out());
      Thread.sleep(500);
    }
    throw new AssertionError("no expected answer in 120 s; last: " + last + "\nlog:\n" + read(log));
  }

  static void await(String what, Process g, Path log, java.util.function.BooleanSupplier ok)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!ok.getAsBoolean()) {
      assertThat(g.isAlive()).as("the guardian runs; its log:%n%s", read(log)).isTrue();
      assertThat(System.nanoTime())
          .as("%s within 120 s; log:%n%s", what, read(log))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
