package dev.vigil.node.config;

import static dev.vigil.node.config.NodeSettingsLoader.ROOT;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.vigil.node.observer.Finality;
import dev.vigil.signing.Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code vigil.node.chains}, each chain over {@code vigil.node.chain-defaults}. */
final class ChainsReader {
  private static final Set<String> RPC_SCHEMES = Set.of("http", "https");
  private static final Pattern CHAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private static final long MAX_CONFIRMATIONS = 100_000;
  private static final long MAX_BLOCK_RANGE = 1_000_000;

  /**
   * The largest payload a chain may allow: one message of it, with its signature and the
   * attestation's other fields, fits well inside the cluster's 2 MiB frame.
   */
  static final long MAX_PAYLOAD_BYTES = 1 << 20;

  private final NodeValues values;
  private final ConfigReader reader;

  ChainsReader(NodeValues values) {
    this.values = values;
    this.reader = values.reader();
  }

  /** The chains by ascending id, or null when any of them is wrong. */
  List<ChainSettings> chains() {
    String defaults = ROOT + ".chain-defaults";
    Finality defFinality = finality(defaults + ".finality", true);
    Long defStart = reader.integer(defaults + ".start-block", 0, Long.MAX_VALUE);
    Duration defPoll = reader.duration(defaults + ".poll-interval", true);
    Duration defBackoff = reader.duration(defaults + ".max-backoff", true);
    Duration defTimeout = reader.duration(defaults + ".rpc-timeout", true);
    Long defRange = reader.integer(defaults + ".max-block-range", 1, MAX_BLOCK_RANGE);
    Long defPayload = reader.integer(defaults + ".max-payload-bytes", 0, MAX_PAYLOAD_BYTES);

    String base = ROOT + ".chains";
    ConfigObject obj = reader.object(base, true);
    if (obj == null) return null;
    if (obj.isEmpty()) {
      reader.problem(
          base,
          "no chains: a guardian watches at least one chain (vigil.node.chains.<name> { id = ..., ... })",
          reader.value(base));
      return null;
    }
    List<ChainSettings> chains = new ArrayList<>();
    Map<Long, String> ids = new HashMap<>();
    boolean ok = true;
    for (String name : new TreeSet<>(obj.keySet())) {
      String p = ConfigReader.join(base, name);
      if (reader.object(p, true) == null) {
        ok = false;
        continue;
      }
      if (!CHAIN_NAME.matcher(name).matches()) {
        reader.problem(
            p,
            "a chain name is 1 to 32 lower-case letters, digits or '-', got \"" + name + "\"",
            reader.value(p));
        ok = false;
      }
      Long id = reader.integer(p + ".id", 1, 0xFFFF);
      if (id != null) {
        String other = ids.putIfAbsent(id, name);
        if (other != null) {
          reader.problem(
              p + ".id",
              id + " is also the id of chain '" + other + "'; chain ids are unique",
              reader.value(p + ".id"));
          id = null;
        }
      }
      List<URI> urls = rpcUrls(p + ".rpc-urls");
      Address core = values.address(p + ".core-address");
      Finality finality =
          reader.has(p + ".finality") ? finality(p + ".finality", false) : defFinality;
      Long start =
          reader.has(p + ".start-block")
              ? reader.integer(p + ".start-block", 0, Long.MAX_VALUE)
              : defStart;
      Duration poll =
          reader.has(p + ".poll-interval") ? reader.duration(p + ".poll-interval", true) : defPoll;
      Duration backoff =
          reader.has(p + ".max-backoff") ? reader.duration(p + ".max-backoff", true) : defBackoff;
      Duration timeout =
          reader.has(p + ".rpc-timeout") ? reader.duration(p + ".rpc-timeout", true) : defTimeout;
      Long range =
          reader.has(p + ".max-block-range")
              ? reader.integer(p + ".max-block-range", 1, MAX_BLOCK_RANGE)
              : defRange;
      Long payload =
          reader.has(p + ".max-payload-bytes")
              ? reader.integer(p + ".max-payload-bytes", 0, MAX_PAYLOAD_BYTES)
              : defPayload;
      Long agreement = 0L;
      if (reader.has(p + ".rpc-agreement")) {
        agreement = reader.integer(p + ".rpc-agreement", 0, 64);
        if (agreement != null && urls != null && (agreement == 1 || agreement > urls.size())) {
          reader.problem(
              p + ".rpc-agreement",
              "expected 0 (endpoints are alternatives) or 2.."
                  + urls.size()
                  + " (how many of the "
                  + urls.size()
                  + " rpc-urls must agree), got "
                  + agreement,
              reader.value(p + ".rpc-agreement"));
          agreement = null;
        }
      }
      if (poll != null && backoff != null && backoff.compareTo(poll) < 0) {
        String at = reader.has(p + ".max-backoff") ? p + ".max-backoff" : defaults + ".max-backoff";
        reader.problem(
            at,
            "expected at least the poll interval ("
                + poll.toMillis()
                + "ms) for chain '"
                + name
                + "', got "
                + backoff.toMillis()
                + "ms",
            reader.value(at));
        backoff = null;
      }
      if (id == null
          || urls == null
          || core == null
          || finality == null
          || start == null
          || poll == null
          || backoff == null
          || timeout == null
          || range == null
          || payload == null
          || agreement == null) {
        ok = false;
        continue;
      }
      chains.add(
          new ChainSettings(
              id.intValue(),
              name,
              urls,
              core,
              finality,
              start,
              poll,
              backoff,
              timeout,
              range.intValue(),
              payload.intValue(),
              agreement.intValue()));
    }
    if (!ok) return null;
    chains.sort(Comparator.comparingInt(ChainSettings::id));
    return chains;
  }

  /** {@code tags} or {@code { confirmations = N }}. */
  private Finality finality(String path, boolean required) {
    ConfigValue v = reader.value(path);
    String expected =
        "tags (the chain answers the safe and finalized block tags) or { confirmations = N }";
    if (v == null) {
      if (required) reader.problem(path, "missing (expected " + expected + ")");
      return null;
    }
    reader.consume(path);
    if (v.valueType() == ConfigValueType.STRING && "tags".equals(v.unwrapped()))
      return new Finality.Tags();
    if (v.valueType() == ConfigValueType.OBJECT) {
      ConfigObject o = (ConfigObject) v;
      boolean ok = true;
      for (String k : new TreeSet<>(o.keySet())) {
        if (!k.equals("confirmations")) {
          reader.problem(
              ConfigReader.join(path, k),
              "unknown key (finality is tags or { confirmations = N })",
              o.get(k));
          ok = false;
        }
      }
      if (!o.containsKey("confirmations")) {
        reader.problem(
            path + ".confirmations", "missing (expected an integer 1.." + MAX_CONFIRMATIONS + ")");
        return null;
      }
      Long n =
          reader.asInteger(path + ".confirmations", o.get("confirmations"), 1, MAX_CONFIRMATIONS);
      return ok && n != null ? new Finality.Confirmations(n.intValue()) : null;
    }
    reader.problem(path, "expected " + expected + ", got " + reader.describe(path, v), v);
    return null;
  }

  private List<URI> rpcUrls(String path) {
    List<ConfigValue> list = reader.list(path);
    if (list == null) return null;
    if (list.isEmpty()) {
      reader.problem(path, "expected at least one JSON-RPC URL", reader.value(path));
      return null;
    }
    List<URI> urls = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      String s = reader.asString(p, list.get(i));
      if (s == null) {
        ok = false;
        continue;
      }
      URI u = null;
      try {
        u = new URI(s.strip());
      } catch (URISyntaxException e) {
        // reported below
      }
      if (u == null
          || u.getScheme() == null
          || !RPC_SCHEMES.contains(u.getScheme().toLowerCase())
          || u.getHost() == null) {
        boolean ws =
            u != null && u.getScheme() != null && u.getScheme().toLowerCase().startsWith("ws");
        reader.problem(
            p,
            "expected an http or https URL such as http://127.0.0.1:8545"
                + (ws
                    ? " (the observer polls over"
                        + " HTTP JSON-RPC; use the node's HTTP endpoint instead of its websocket)"
                    : "")
                + ", got "
                + reader.describe(p, list.get(i)),
            list.get(i));
        ok = false;
        continue;
      }
      urls.add(u);
    }
    return ok ? urls : null;
  }
}
