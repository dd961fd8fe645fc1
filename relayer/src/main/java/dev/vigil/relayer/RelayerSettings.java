package dev.vigil.relayer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.vigil.signing.Bytes32;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;

/**
 * What a {@link Relayer} follows and where it delivers. Validation messages use the configuration
 * keys' names. The sending key never appears in {@link #toString()} or in an error message.
 *
 * @param nodes base URLs of guardian nodes' HTTP APIs (e.g. {@code http://127.0.0.1:8080}); all are
 *     followed at once, so one node being down costs nothing
 * @param routes which emitter goes to which destination; at most one route per emitter
 * @param sender the account that pays for deliveries, on every destination
 * @param retryInitial first delay before a failed delivery is tried again; doubled per failure
 * @param retryMax the longest delay between two attempts of one delivery
 * @param giveUpAfter how long after it was first seen an attestation is given up if it cannot be
 *     delivered
 * @param maxInFlight attestations accepted but not yet delivered, per destination; streams wait
 *     beyond it
 * @param reconnectInitial first delay before a lost stream is reopened; doubled per failure, with
 *     jitter
 * @param reconnectMax the longest delay between two attempts to reopen a stream
 * @param streamIdleTimeout a stream that sends nothing (not even a keep-alive comment) this long is
 *     reopened
 * @param rpcTimeout connect/read timeout of one JSON-RPC request to a destination
 * @param maxPendingTransactions transactions sent but not yet mined, per destination: each takes
 *     the next nonce of the sender's sequence, so this many deliveries can land in one block
 */
public record RelayerSettings(
    List<URI> nodes,
    List<Route> routes,
    Credentials sender,
    Duration retryInitial,
    Duration retryMax,
    Duration giveUpAfter,
    int maxInFlight,
    Duration reconnectInitial,
    Duration reconnectMax,
    Duration streamIdleTimeout,
    Duration rpcTimeout,
    int maxPendingTransactions,
    List<Path> trustedCertificates,
    Optional<EvidenceSubmission> evidence) {
  /**
   * Guardian APIs served over HTTPS with these certificates (PEM files) are trusted, and only they:
   * each is pinned, so a self-signed one (such as a guardian's cluster TLS certificate) works
   * without a certificate authority or a host name in it. Empty: the JDK's certificate authorities.
   */
  public RelayerSettings withTrustedCertificates(List<Path> trustedCertificates) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  /**
   * Opt-in submission of equivocation evidence: every {@code pollInterval} each followed node's
   * {@code /v1/evidence} is read, and each new complete piece is sent once to the VigilStaking at
   * {@code staking} on {@code chain}, from {@code sender}.
   */
  public record EvidenceSubmission(
      String staking, Destination chain, Duration pollInterval, Credentials sender) {
    public EvidenceSubmission {
      Objects.requireNonNull(chain, "chain");
      Objects.requireNonNull(sender, "sender");
      if (staking == null || !EVM_ADDRESS.matcher(staking).matches())
        throw new IllegalArgumentException(
            "evidence.staking must be 0x and 40 hex digits, got " + staking);
      staking = staking.toLowerCase(Locale.ROOT);
      positive("evidence.poll-interval", pollInterval);
    }

    @Override
    public String toString() {
      return "EvidenceSubmission[staking="
          + staking
          + ", chain="
          + chain.name()
          + ", pollInterval="
          + pollInterval
          + ", sender="
          + sender.getAddress()
          + "]";
    }
  }

  /** The same settings with evidence submission on ({@code evidence}) or off (empty). */
  public RelayerSettings withEvidence(Optional<EvidenceSubmission> evidence) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  private static final Set<String> EVIDENCE_KEYS =
      Set.of("staking", "chain", "poll-interval", "sender-key");

  /** {@code evidence { staking, chain, poll-interval, sender-key }}, or empty when absent (off). */
  private static Optional<EvidenceSubmission> evidence(
      Config c, Map<String, Destination> destinations, Credentials sender) {
    if (!c.hasPath("evidence")) return Optional.empty();
    String at = PATH + ".evidence";
    Config e = c.getConfig("evidence");
    for (String k : e.root().keySet()) {
      if (!EVIDENCE_KEYS.contains(k))
        throw new IllegalArgumentException(
            at + "." + k + " is not a setting (known: chain, poll-interval, sender-key, staking)");
    }
    if (!e.hasPath("staking"))
      throw new IllegalArgumentException(at + ".staking is missing (VigilStaking's address)");
    if (!e.hasPath("chain"))
      throw new IllegalArgumentException(
          at + ".chain is missing (the name of a destination under " + PATH + ".destinations)");
    String name = e.getString("chain");
    Destination chain = destinations.get(name);
    if (chain == null)
      throw new IllegalArgumentException(
          at
              + ".chain names "
              + name
              + ", which is not under "
              + PATH
              + ".destinations (known: "
              + destinations.keySet()
              + ")");
    return Optional.of(
        new EvidenceSubmission(
            e.getString("staking"),
            chain,
            e.hasPath("poll-interval") ? e.getDuration("poll-interval") : Duration.ofSeconds(30),
            e.hasPath("sender-key") ? credentials(e.getString("sender-key")) : sender));
  }

  /** Where {@link #fromConfig} reads its keys. */
  public static final String PATH = "vigil.node.relayer";

  private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");

  /**
   * A destination chain and the receiver contract on it.
   *
   * @param name a short name for logs and metrics, e.g. {@code chain-b}
   * @param rpcUrl JSON-RPC endpoint
   * @param evmChainId the EVM chain id (EIP-155 replay protection of the sender's transactions)
   * @param receiver address of a contract with {@code receiveMessage(bytes)} and {@code
   *     isExecuted(bytes32)}
   */
  public record Destination(String name, URI rpcUrl, long evmChainId, String receiver) {
    public Destination {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(rpcUrl, "rpcUrl");
      Objects.requireNonNull(receiver, "receiver");
      if (name.isBlank()) throw new IllegalArgumentException("destination name must not be blank");
      if (!"http".equals(rpcUrl.getScheme()) && !"https".equals(rpcUrl.getScheme())) {
        throw new IllegalArgumentException(
            "destination " + name + ": rpc-url must be http(s)://…, got " + rpcUrl);
      }
      if (evmChainId <= 0)
        throw new IllegalArgumentException(
            "destination " + name + ": evm-chain-id must be positive, got " + evmChainId);
      if (!EVM_ADDRESS.matcher(receiver).matches()) {
        throw new IllegalArgumentException(
            "destination " + name + ": receiver must be 0x and 40 hex digits, got " + receiver);
      }
      receiver = receiver.toLowerCase(Locale.ROOT);
    }
  }

  /** Attestations of {@code (emitterChain, emitter)} are delivered to {@code destination}. */
  public record Route(int emitterChain, Bytes32 emitter, Destination destination) {
    public Route {
      Objects.requireNonNull(emitter, "emitter");
      Objects.requireNonNull(destination, "destination");
      if (emitterChain < 0 || emitterChain > 0xFFFF) {
        throw new IllegalArgumentException(
            "route emitter-chain must be 0..65535, got " + emitterChain);
      }
    }

    @Override
    public String toString() {
      return emitterChain + "/" + emitter.toHex() + " -> " + destination.name();
    }
  }

  public RelayerSettings {
    Objects.requireNonNull(evidence, "evidence");
    nodes =
        List.copyOf(Objects.requireNonNull(nodes, "nodes")).stream()
            .map(RelayerSettings::baseUrl)
            .toList();
    routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
    trustedCertificates =
        List.copyOf(Objects.requireNonNull(trustedCertificates, "trustedCertificates"));
    Objects.requireNonNull(sender, "sender");
    if (nodes.isEmpty())
      throw new IllegalArgumentException("nodes must name at least one guardian node's API");
    if (new HashSet<>(nodes).size() != nodes.size())
      throw new IllegalArgumentException("nodes lists a node twice: " + nodes);
    Set<String> emitters = new HashSet<>();
    Map<String, Destination> destinations = new HashMap<>();
    for (Route r : routes) {
      if (!emitters.add(r.emitterChain() + "/" + r.emitter().toHex())) {
        throw new IllegalArgumentException(
            "routes: emitter "
                + r.emitterChain()
                + "/"
                + r.emitter().toHex()
                + " has more than one route");
      }
      Destination known = destinations.putIfAbsent(r.destination().name(), r.destination());
      if (known != null && !known.equals(r.destination())) {
        throw new IllegalArgumentException(
            "routes: two different destinations are named " + r.destination().name());
      }
    }
    positive("retry-initial", retryInitial);
    positive("retry-max", retryMax);
    positive("give-up-after", giveUpAfter);
    positive("reconnect-initial", reconnectInitial);
    positive("reconnect-max", reconnectMax);
    positive("stream-idle-timeout", streamIdleTimeout);
    positive("rpc-timeout", rpcTimeout);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "retry-max (" + retryMax + ") must not be below retry-initial (" + retryInitial + ")");
    }
    if (reconnectMax.compareTo(reconnectInitial) < 0) {
      throw new IllegalArgumentException(
          "reconnect-max ("
              + reconnectMax
              + ") must not be below reconnect-initial ("
              + reconnectInitial
              + ")");
    }
    if (maxInFlight < 1 || maxInFlight > 1_000_000) {
      throw new IllegalArgumentException(
          "max-in-flight must be 1..1000000 attestations, got " + maxInFlight);
    }
    if (maxPendingTransactions < 1 || maxPendingTransactions > 1_000) {
      throw new IllegalArgumentException(
          "max-pending-transactions must be 1..1000 transactions, got " + maxPendingTransactions);
    }
  }

  /**
   * Defaults: retries from 250 ms doubling to 10 s, given up after 10 min; 1000 in flight per
   * destination, of which up to 16 as transactions not yet mined; streams reopened from 250 ms up
   * to 10 s apart, and when silent for 45 s (three of the API's 15 s keep-alives); 10 s per
   * JSON-RPC request.
   *
   * @param senderKeyHex the sender's secp256k1 private key, 64 hex digits, 0x optional
   */
  public static RelayerSettings of(List<URI> nodes, List<Route> routes, String senderKeyHex) {
    return new RelayerSettings(
        nodes,
        routes,
        credentials(senderKeyHex),
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        1000,
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        Duration.ofSeconds(45),
        Duration.ofSeconds(10),
        16,
        List.of(),
        Optional.empty());
  }

  public RelayerSettings withRetry(Duration initial, Duration max) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        initial,
        max,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withGiveUpAfter(Duration giveUpAfter) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withMaxInFlight(int maxInFlight) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withMaxPendingTransactions(int maxPendingTransactions) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withReconnect(Duration initial, Duration max) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        initial,
        max,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withStreamIdleTimeout(Duration streamIdleTimeout) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  public RelayerSettings withRpcTimeout(Duration rpcTimeout) {
    return new RelayerSettings(
        nodes,
        routes,
        sender,
        retryInitial,
        retryMax,
        giveUpAfter,
        maxInFlight,
        reconnectInitial,
        reconnectMax,
        streamIdleTimeout,
        rpcTimeout,
        maxPendingTransactions,
        trustedCertificates,
        evidence);
  }

  /** The sender's address (0x, lower case); the key itself stays inside. */
  public String senderAddress() {
    return sender.getAddress();
  }

  /** The distinct destinations of the routes, in route order. */
  public List<Destination> destinations() {
    return routes.stream().map(Route::destination).distinct().toList();
  }

  @Override
  public String toString() {
    return "RelayerSettings[nodes="
        + nodes
        + ", routes="
        + routes
        + ", sender="
        + senderAddress()
        + ", retry="
        + retryInitial
        + ".."
        + retryMax
        + ", giveUpAfter="
        + giveUpAfter
        + ", maxInFlight="
        + maxInFlight
        + ", reconnect="
        + reconnectInitial
        + ".."
        + reconnectMax
        + ", streamIdleTimeout="
        + streamIdleTimeout
        + ", rpcTimeout="
        + rpcTimeout
        + ", maxPendingTransactions="
        + maxPendingTransactions
        + ", evidence="
        + evidence.map(Object::toString).orElse("off")
        + "]";
  }

  /**
   * Reads {@code vigil.node.relayer}:
   *
   * <pre>
   * nodes = ["http://127.0.0.1:8080", ...]
   * sender-key = ${?VIGIL_RELAYER_KEY}          # 64 hex digits
   * destinations { chain-b { rpc-url = "http://...", evm-chain-id = 31338, receiver = "0x..." } }
   * routes = [ { emitter-chain = 2, emitter = "0x<40 or 64 hex>", destination = chain-b } ]
   * retry-initial, retry-max, give-up-after, max-in-flight, reconnect-initial, reconnect-max,
   * stream-idle-timeout, rpc-timeout, max-pending-transactions   # optional, defaults as in {@link #of}
   * trusted-certificates = ["/etc/vigil/guardian-1.tls.crt"]   # optional: guardian APIs over HTTPS
   * evidence { staking = "0x...", chain = chain-b, poll-interval = 30s }  # optional, off by default
   * </pre>
   *
   * A bad or missing value fails with the key's full path and what was expected.
   */
  public static RelayerSettings fromConfig(Config config) {
    if (!config.hasPath(PATH))
      throw new IllegalArgumentException("no relayer settings: " + PATH + " is missing");
    Config c = config.getConfig(PATH);
    try {
      List<URI> nodes = new ArrayList<>();
      for (String n : c.getStringList("nodes")) nodes.add(uri(PATH + ".nodes", n));
      if (!c.hasPath("sender-key")) {
        throw new IllegalArgumentException(
            PATH + ".sender-key is missing (64 hex digits; e.g. from ${?VIGIL_RELAYER_KEY})");
      }
      String key = c.getString("sender-key");
      Map<String, Destination> destinations = new HashMap<>();
      Config dests =
          c.hasPath("destinations") ? c.getConfig("destinations") : ConfigFactory.empty();
      for (String name : dests.root().keySet()) {
        // quoted: a name with a dot is still one key
        Config d = dests.getConfig(ConfigUtil.joinPath(name));
        String at = PATH + ".destinations." + name;
        destinations.put(
            name,
            new Destination(
                name,
                uri(at + ".rpc-url", d.getString("rpc-url")),
                d.getLong("evm-chain-id"),
                d.getString("receiver")));
      }
      List<Route> routes = new ArrayList<>();
      int i = 0;
      for (Config r : c.getConfigList("routes")) {
        String at = PATH + ".routes[" + i++ + "]";
        String destName = r.getString("destination");
        Destination dest = destinations.get(destName);
        if (dest == null) {
          throw new IllegalArgumentException(
              at
                  + ".destination names "
                  + destName
                  + ", which is not under "
                  + PATH
                  + ".destinations (known: "
                  + destinations.keySet()
                  + ")");
        }
        routes.add(
            new Route(
                r.getInt("emitter-chain"), emitter(at + ".emitter", r.getString("emitter")), dest));
      }
      RelayerSettings s = of(nodes, routes, key);
      return new RelayerSettings(
          s.nodes,
          s.routes,
          s.sender,
          duration(c, "retry-initial", s.retryInitial),
          duration(c, "retry-max", s.retryMax),
          duration(c, "give-up-after", s.giveUpAfter),
          c.hasPath("max-in-flight") ? c.getInt("max-in-flight") : s.maxInFlight,
          duration(c, "reconnect-initial", s.reconnectInitial),
          duration(c, "reconnect-max", s.reconnectMax),
          duration(c, "stream-idle-timeout", s.streamIdleTimeout),
          duration(c, "rpc-timeout", s.rpcTimeout),
          c.hasPath("max-pending-transactions")
              ? c.getInt("max-pending-transactions")
              : s.maxPendingTransactions,
          c.hasPath("trusted-certificates")
              ? c.getStringList("trusted-certificates").stream().map(Path::of).toList()
              : List.of(),
          evidence(c, destinations, s.sender));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad relayer settings under " + PATH + ": " + e.getMessage(), e);
    }
  }

  /** 64 hex digits, or 40 (an EVM address, left-padded to 32 bytes); 0x optional. */
  static Bytes32 emitter(String key, String text) {
    String hex = text.strip();
    if (hex.startsWith("0x") || hex.startsWith("0X")) hex = hex.substring(2);
    if (!hex.matches("[0-9a-fA-F]*") || (hex.length() != 64 && hex.length() != 40)) {
      throw new IllegalArgumentException(
          key + " must be 64 hex digits or a 40-hex-digit EVM address, got " + text);
    }
    return Bytes32.fromHex("0".repeat(64 - hex.length()) + hex);
  }

  static Credentials credentials(String keyHex) {
    // the message never repeats the value: it may be a key with a typo
    if (keyHex == null || !KEY.matcher(keyHex.strip()).matches()) {
      throw new IllegalArgumentException(
          "sender-key must be a secp256k1 private key of 64 hex digits (0x optional); "
              + "the value given is not (not shown)");
    }
    return Credentials.create(keyHex.strip());
  }

  private static URI uri(String key, String text) {
    URI u;
    try {
      u = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not a URL: " + text);
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException(key + " must be an http(s)://host:port URL, got " + text);
    }
    return u;
  }

  private static URI baseUrl(URI node) {
    Objects.requireNonNull(node, "node");
    if (!"http".equals(node.getScheme()) && !"https".equals(node.getScheme())
        || node.getHost() == null) {
      throw new IllegalArgumentException("nodes must be http(s)://host:port URLs, got " + node);
    }
    if (node.getQuery() != null)
      throw new IllegalArgumentException("a node URL takes no query, got " + node);
    String s = node.toString();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return URI.create(s);
  }

  private static Duration duration(Config c, String key, Duration fallback) {
    return c.hasPath(key) ? c.getDuration(key) : fallback;
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero())
      throw new IllegalArgumentException(name + " must be positive, got " + d);
  }
}
