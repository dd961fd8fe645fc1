package dev.vigil.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.aggregation.PendingMessage;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.node.http.Json;
import dev.vigil.node.observer.ChainHealth;
import dev.vigil.node.observer.ChainObserver;
import dev.vigil.signing.Bytes32;
import dev.vigil.storage.EvidenceRecord;
import dev.vigil.storage.VigilDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's admin interface: a Unix socket in the data dir, owner-only (mode 600, in a
 * directory of the node's user), never on the network. One request per connection: a JSON object on
 * one line ({@code {"command": "pending"}}), answered by one JSON object on one line, {@code "ok":
 * true} with the result or {@code "ok": false} with an error that names what was wrong. {@code
 * vigil admin} is its client.
 *
 * <p>Commands: {@code pending} (messages without quorum, who signed and who did not), {@code rpc}
 * (each chain's endpoints and their state), {@code evidence} (every equivocation kept, as {@code
 * /v1/evidence} serves it), {@code reobserve} (re-read one transaction and sign what is final in
 * it), {@code find-missing} (scan a block range for final messages without an attestation here,
 * sign them and ask the peers for theirs), {@code governance-inject} (check a governance action's
 * body against the rules and sign it: the only way a guardian signs governance).
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST = 64 * 1024;
  private static final Duration ASK = Duration.ofSeconds(60);

  /** What the admin commands reach. */
  public record Dependencies(
      ActorSystem<?> system,
      ActorRef<ConsensusActor.Command> consensus,
      Map<Integer, ActorRef<ChainObserver.Command>> observers,
      Map<Integer, ChainHealth> health,
      Map<Integer, List<String>> endpoints,
      java.util.function.IntFunction<String> endpointInUse,
      VigilDatabase db,
      Committee committee,
      dev.vigil.node.governance.GovernanceInjection governance) {}

  private final Path path;
  private final ServerSocketChannel server;
  private final Dependencies deps;
  private volatile boolean closed;

  private AdminServer(Path path, ServerSocketChannel server, Dependencies deps) {
    this.path = path;
    this.server = server;
    this.deps = deps;
  }

  /**
   * Listens on {@code path} (replacing a stale socket file that nobody answers on; refusing when
   * another node answers there), mode 600.
   */
  public static AdminServer start(Path path, Dependencies deps) throws IOException {
    if (Files.exists(path)) {
      if (answers(path))
        throw new IOException(
            "admin socket "
                + path
                + " is in use: another node runs with this data dir? Stop it first");
      Files.delete(path); // left by a node that did not stop cleanly
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    AdminServer a = new AdminServer(path, server, deps);
    Thread.ofVirtual().name("admin-socket").start(a::acceptLoop);
    log.info(
        "admin socket {} (owner only): vigil admin --socket {} pending|rpc|evidence|...",
        path,
        path);
    return a;
  }

  /** Whether something listens on the socket file (a running node), rather than a stale file. */
  private static boolean answers(Path path) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return true;
    } catch (IOException nobody) {
      return false;
    }
  }

  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        if (closed) return;
        log.warn("admin socket {}: accept failed: {}", path, e.getMessage());
        continue;
      }
      Thread.ofVirtual().name("admin-request").start(() -> serve(c));
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      String line = readLine(in);
      ObjectNode reply;
      try {
        JsonNode req = JSON.readTree(line);
        if (req == null || !req.isObject())
          throw new IllegalArgumentException("a request is one JSON object on one line");
        reply = handle(req);
        reply.put("ok", true);
      } catch (IllegalArgumentException e) {
        reply = error(e.getMessage());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        reply = error("not JSON: " + e.getOriginalMessage());
      } catch (RuntimeException e) {
        log.warn("admin request failed", e);
        reply = error("failed: " + e);
      }
      OutputStream out = Channels.newOutputStream(c);
      out.write((JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      log.debug("admin connection: {}", e.getMessage());
    }
  }

  private static String readLine(BufferedReader in) throws IOException {
    StringBuilder b = new StringBuilder();
    int ch;
    while ((ch = in.read()) >= 0 && ch != '\n') {
      if (b.length() >= MAX_REQUEST)
        throw new IOException("request longer than " + MAX_REQUEST + " bytes");
      b.append((char) ch);
    }
    return b.toString();
  }

  private static ObjectNode error(String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ok", false);
    o.put("error", message);
    return o;
  }

  ObjectNode handle(JsonNode req) {
    String command = req.path("command").asText("");
    return switch (command) {
      case "pending" -> pending(req.path("limit").asInt(1000));
      case "rpc" -> rpc();
      case "evidence" -> evidence();
      case "reobserve" -> reobserve(chain(req), tx(req));
      case "find-missing" -> findMissing(chain(req), block(req, "from"), block(req, "to"));
      case "governance-inject" -> deps.governance().inject(req.path("body").asText(""));
      case "" -> throw new IllegalArgumentException("no command");
      default ->
          throw new IllegalArgumentException(
              "unknown command '"
                  + command
                  + "' (pending, rpc, evidence, reobserve, find-missing, governance-inject)");
    };
  }

  private int chain(JsonNode req) {
    if (!req.path("chain").canConvertToInt())
      throw new IllegalArgumentException("'chain' must be a chain id, got " + req.path("chain"));
    int chain = req.path("chain").asInt();
    if (!deps.observers().containsKey(chain))
      throw new IllegalArgumentException(
          "this guardian watches no chain "
              + chain
              + " (it watches "
              + deps.observers().keySet()
              + ")");
    return chain;
  }

  private static Bytes32 tx(JsonNode req) {
    String tx = req.path("tx").asText("");
    try {
      return Bytes32.fromHex(tx);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'tx' must be a transaction hash (0x + 64 hex), got '" + tx + "'");
    }
  }

  private static long block(JsonNode req, String field) {
    JsonNode n = req.path(field);
    if (!n.canConvertToLong() || n.asLong() < 0)
      throw new IllegalArgumentException("'" + field + "' must be a block number, got " + n);
    return n.asLong();
  }

  private ObjectNode pending(int limit) {
    List<PendingMessage> list =
        ask(
            deps.consensus(),
            r -> new ConsensusActor.GetPending(Math.max(1, Math.min(limit, 10_000)), r));
    ObjectNode o = JSON.createObjectNode();
    o.put("quorum", deps.committee().quorum());
    ArrayNode a = o.putArray("pending");
    for (PendingMessage p : list) {
      ObjectNode e = a.addObject();
      e.put("message", p.id().toString());
      e.put("observedHere", p.observedHere());
      if (p.digest() != null) e.put("digest", p.digest().toHex());
      if (p.txHash() != null) e.put("txHash", "0x" + p.txHash().toHex());
      e.put("ageSeconds", p.ageMillis() / 1000.0);
      e.put("retries", p.retries());
      ArrayNode signed = e.putArray("signed");
      ArrayNode missing = e.putArray("notSigned");
      for (int i = 0; i < deps.committee().size(); i++) {
        ObjectNode m = JSON.createObjectNode();
        m.put("index", i).put("address", deps.committee().member(i).toChecksumHex());
        (p.signedBy().contains(i) ? signed : missing).add(m);
      }
      ObjectNode others = e.putObject("otherDigests");
      p.otherDigests().forEach((d, who) -> others.putPOJO(d.toHex(), who));
    }
    return o;
  }

  private ObjectNode rpc() {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode chains = o.putArray("chains");
    deps.health()
        .forEach(
            (id, h) -> {
              ChainHealth.Snapshot s = h.snapshot();
              ObjectNode c = chains.addObject();
              c.put("chain", id).put("name", s.name());
              ArrayNode urls = c.putArray("endpoints");
              deps.endpoints().getOrDefault(id, List.of()).forEach(urls::add);
              String inUse = deps.endpointInUse().apply(id);
              if (inUse != null) c.put("inUse", inUse);
              c.put("head", s.head()).put("safe", s.safe()).put("finalized", s.finalized());
              c.put("processed", s.processedFinalized());
              c.put("rpcErrors", s.rpcErrors());
              c.put("consecutiveFailures", s.consecutiveFailures());
              c.put("state", s.consecutiveFailures() == 0 ? "ok" : "failing");
              if (s.lastError() != null) c.put("lastError", s.lastError());
              if (s.lastSuccessMillis() > 0)
                c.put(
                    "lastSuccess",
                    java.time.Instant.ofEpochMilli(s.lastSuccessMillis()).toString());
            });
    return o;
  }

  private ObjectNode evidence() {
    List<EvidenceRecord> all = new ArrayList<>();
    deps.db().evidence().forEach(r -> all.add(r) || true);
    return Json.evidence(all, all.size());
  }

  private ObjectNode reobserve(int chain, Bytes32 tx) {
    List<Observation> found =
        ask(deps.observers().get(chain), r -> new ChainObserver.Reobserve(tx, r));
    ObjectNode o = JSON.createObjectNode();
    o.put("chain", chain).put("tx", "0x" + tx.toHex());
    ArrayNode a = o.putArray("messages");
    for (Observation obs : found) {
      deps.consensus().tell(new ConsensusActor.Observe(obs));
      a.addObject()
          .put("message", obs.messageId().toString())
          .put("digest", obs.digest().toHex())
          .put("block", obs.blockNumber())
          .put("attestedHere", deps.db().attestations().get(obs.messageId()).isPresent());
    }
    o.put(
        "note",
        found.isEmpty()
            ? "no final message of the watched contract in that transaction (not final yet, reorged out, or none)"
            : "handed to consensus: signed (never with another digest than before) and sent to the peers");
    log.info("admin: re-observed tx {} on chain {}: {} final message(s)", tx, chain, found.size());
    return o;
  }

  private ObjectNode findMissing(int chain, long from, long to) {
    ChainObserver.ScanResult r =
        ask(deps.observers().get(chain), ref -> new ChainObserver.Scan(from, to, ref));
    if (r.error() != null)
      throw new IllegalArgumentException("scanning blocks " + from + ".." + to + ": " + r.error());
    ObjectNode o = JSON.createObjectNode();
    o.put("chain", chain).put("from", from).put("to", to);
    o.put("finalMessages", r.observations().size());
    ArrayNode missing = o.putArray("missing");
    for (Observation obs : r.observations()) {
      if (deps.db().attestations().get(obs.messageId()).isPresent()) continue;
      deps.consensus().tell(new ConsensusActor.Observe(obs));
      missing
          .addObject()
          .put("message", obs.messageId().toString())
          .put("txHash", "0x" + obs.txHash().toHex())
          .put("block", obs.blockNumber());
    }
    o.put("attested", r.observations().size() - missing.size());
    log.info(
        "admin: find-missing on chain {} blocks {}..{}: {} final messages, {} without attestation here, handed to consensus (peers are asked for theirs while a quorum is missing)",
        chain,
        from,
        to,
        r.observations().size(),
        missing.size());
    return o;
  }

  private <T, R> R ask(ActorRef<T> to, java.util.function.Function<ActorRef<R>, T> make) {
    CompletableFuture<R> f =
        AskPattern.<T, R>ask(to, make::apply, ASK, deps.system().scheduler()).toCompletableFuture();
    try {
      return f.get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer from the node in " + ASK.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.debug("could not remove admin socket {}: {}", path, e.getMessage());
    }
  }
}
