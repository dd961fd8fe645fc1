package dev.vigil.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.node.config.NodeConfigException.Problem;
import dev.vigil.node.observer.Finality;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.Hex;
import dev.vigil.signing.keystore.KeyFile;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads and checks a node file; see {@link NodeSettings#load(Path, LoadOptions)}. */
final class NodeSettingsLoader {
  static final String ROOT = "vigil.node";
  private static final String INLINE_PASSWORD = ROOT + ".key.password";
  /** Other modules' sections under vigil; anything else there is a typo. */
  private static final Set<String> MODULES = Set.of("node", "consensus", "storage", "signing");
  private static final Set<String> RPC_SCHEMES = Set.of("http", "https");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern CHAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  // Pekko's rule for actor system names
  private static final Pattern SYSTEM_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");
  private static final long MAX_CONFIRMATIONS = 100_000;
  private static final long MAX_BLOCK_RANGE = 1_000_000;

  private final Path file;
  private final Path baseDir;
  private final LoadOptions options;
  private final ConfigReader r;
  private final List<String> warnings = new ArrayList<>();

  private NodeSettingsLoader(Path file, Config resolved, LoadOptions options) {
    this.file = file;
    this.baseDir = file.getParent();
    this.options = options;
    this.r = new ConfigReader(resolved, Set.of(INLINE_PASSWORD));
  }

  static NodeSettings load(Path path, LoadOptions options) {
    Path file = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new NodeConfigException(file, List.of(new Problem("", "no configuration file there")));
    }
    Config fileConfig;
    Config reference;
    Config resolved;
    try {
      fileConfig = ConfigFactory.parseFile(file.toFile(),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
      reference = ConfigFactory.defaultReferenceUnresolved(NodeSettingsLoader.class.getClassLoader());
      // the environment is the last fallback, like Typesafe's own resolve(), but injectable for tests
      Config env = ConfigValueFactory.fromMap(options.env(), "environment").toConfig();
      resolved = fileConfig.withFallback(reference).withFallback(env)
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    } catch (ConfigException e) {
      // syntax errors, a missing include required(...), an undefined ${VAR}: Typesafe names file and line
      throw new NodeConfigException(file, List.of(new Problem("", e.getMessage())));
    }
    NodeSettingsLoader loader = new NodeSettingsLoader(file, resolved, options);
    NodeSettings settings = loader.read(keepOnly(resolved, fileConfig, reference));
    if (!loader.r.problems().isEmpty()) throw new NodeConfigException(file, loader.r.problems());
    return settings;
  }

  /** The resolved config without the environment's variables and without the inline password. */
  private static Config keepOnly(Config resolved, Config fileConfig, Config reference) {
    Set<String> roots = new HashSet<>(fileConfig.root().keySet());
    roots.addAll(reference.root().keySet());
    Config kept = ConfigFactory.empty();
    for (String root : roots) {
      String p = ConfigUtil.joinPath(root);
      if (resolved.hasPathOrNull(p)) kept = kept.withFallback(resolved.withOnlyPath(p));
    }
    return kept.withoutPath(INLINE_PASSWORD);
  }

  private NodeSettings read(Config forOthers) {
    String name = name();
    Path dataDir = path(ROOT + ".data-dir");
    KeySettings key = key();
    CommitteeSettings committee = committee();
    GovernanceSettings governance = governance();
    List<ChainSettings> chains = chains();
    ClusterSettings cluster = cluster(committee);
    HttpSettings http = http(cluster);
    unknownKeys();
    if (options.checkFiles()) {
      checkKeyFile(key, committee);
      checkPassword(key);
      checkDataDir(dataDir);
    }
    if (committee != null && committee.members().size() < 4) {
      warnings.add("a committee of " + committee.members().size() + " tolerates no faulty or offline guardian (quorum "
          + committee.quorum() + " of " + committee.members().size() + "); real committees have at least 4");
    }
    if (!r.problems().isEmpty()) return null;
    return new NodeSettings(file, name, dataDir, key, committee, governance, chains, cluster, http, warnings, forOthers);
  }

  private String name() {
    String path = ROOT + ".name";
    String name = r.string(path);
    if (name != null && !NAME.matcher(name).matches()) {
      r.problem(path, "expected 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got \""
          + name + "\"", r.value(path));
      return null;
    }
    return name;
  }

  /** A path, relative to the node file's directory unless absolute; "~/" is the home directory. */
  private Path path(String path) {
    String s = r.string(path);
    if (s == null) return null;
    if (s.isBlank()) {
      r.problem(path, "expected a file path, got an empty string", r.value(path));
      return null;
    }
    if (s.equals("~") || s.startsWith("~/")) s = System.getProperty("user.home") + s.substring(1);
    try {
      return baseDir.resolve(s).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      r.problem(path, "expected a file path, got \"" + s + "\" (" + e.getReason() + ")", r.value(path));
      return null;
    }
  }

  private KeySettings key() {
    String base = ROOT + ".key";
    Path file = path(base + ".file");
    String env = r.optionalString(base + ".password-env");
    boolean hasFile = r.has(base + ".password-file");
    String inline = r.optionalString(INLINE_PASSWORD);
    int given = (env != null ? 1 : 0) + (hasFile ? 1 : 0) + (inline != null ? 1 : 0);
    if (given > 1) {
      r.problem(base, "set at most one of password-env, password-file and password; "
          + (env != null ? "password-env " : "") + (hasFile ? "password-file " : "") + (inline != null ? "password " : "")
          + "are set");
      return null;
    }
    PasswordSource source;
    if (hasFile) {
      Path pw = path(base + ".password-file");
      if (pw == null) return null;
      source = new PasswordSource.FromFile(pw);
    } else if (inline != null) {
      warnings.add(INLINE_PASSWORD + " is set: the key's password is in the configuration file"
          + ConfigReader.where(r.value(INLINE_PASSWORD))
          + "; use password-env or password-file for anything but a throwaway local key");
      source = new PasswordSource.Inline(inline);
    } else {
      String variable = env != null ? env : PasswordSource.DEFAULT_ENV;
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        r.problem(base + ".password-env", "expected an environment variable name, got \"" + variable + "\"",
            r.value(base + ".password-env"));
        return null;
      }
      source = new PasswordSource.FromEnv(variable);
    }
    return file == null ? null : new KeySettings(file, source);
  }

  private CommitteeSettings committee() {
    String base = ROOT + ".committee";
    Long index = r.integer(base + ".index", 0, 0xFFFF_FFFFL);
    Duration expiry = r.duration(base + ".expiry-window", false);
    List<ConfigValue> list = r.list(base + ".members");
    if (list == null) return null;
    String membersPath = base + ".members";
    boolean ok = true;
    if (list.isEmpty() || list.size() > Committee.MAX_MEMBERS) {
      r.problem(membersPath, "a committee has 1 to " + Committee.MAX_MEMBERS + " members, got " + list.size(),
          r.value(membersPath));
      return null;
    }
    List<Address> members = new ArrayList<>();
    Map<Address, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String p = membersPath + "[" + i + "]";
      Address a = address(p, list.get(i));
      if (a == null) {
        ok = false;
        continue;
      }
      Integer first = seen.putIfAbsent(a, i);
      if (first != null) {
        r.problem(p, a + " is listed twice (also " + membersPath + "[" + first + "]); the committee would count it once"
            + " and need quorum " + Committee.quorum(list.size()) + " of fewer real members", list.get(i));
        ok = false;
      } else if (Address.wrap(new byte[Address.LENGTH]).equals(a)) {
        r.problem(p, "the zero address cannot sign; its seat would count toward the size but never toward quorum",
            list.get(i));
        ok = false;
      }
      members.add(a);
    }
    if (!ok || index == null || expiry == null) return null;
    return new CommitteeSettings(index, members, expiry);
  }

  private GovernanceSettings governance() {
    String base = ROOT + ".governance";
    Long chain = r.integer(base + ".chain", 1, 0xFFFF);
    String addrPath = base + ".address";
    String s = r.string(addrPath);
    Bytes32 emitter = null;
    if (s != null) {
      byte[] b = decodeHex(s);
      if (b != null && b.length == Bytes32.LENGTH) emitter = Bytes32.wrap(b);
      else if (b != null && b.length == Address.LENGTH) emitter = Bytes32.wrap(Address.wrap(b).toBytes32());
      else {
        r.problem(addrPath, "expected a 32-byte emitter address (64 hex digits) or a 20-byte EVM address, got \"" + s
            + "\"", r.value(addrPath));
      }
    }
    return chain == null || emitter == null ? null : new GovernanceSettings(chain.intValue(), emitter);
  }

  private List<ChainSettings> chains() {
    String defaults = ROOT + ".chain-defaults";
    Finality defFinality = finality(defaults + ".finality", true);
    Long defStart = r.integer(defaults + ".start-block", 0, Long.MAX_VALUE);
    Duration defPoll = r.duration(defaults + ".poll-interval", true);
    Duration defBackoff = r.duration(defaults + ".max-backoff", true);
    Duration defTimeout = r.duration(defaults + ".rpc-timeout", true);
    Long defRange = r.integer(defaults + ".max-block-range", 1, MAX_BLOCK_RANGE);

    String base = ROOT + ".chains";
    ConfigObject obj = r.object(base, true);
    if (obj == null) return null;
    if (obj.isEmpty()) {
      r.problem(base, "no chains: a guardian watches at least one chain (vigil.node.chains.<name> { id = ..., ... })",
          r.value(base));
      return null;
    }
    List<ChainSettings> chains = new ArrayList<>();
    Map<Long, String> ids = new HashMap<>();
    boolean ok = true;
    for (String name : new TreeSet<>(obj.keySet())) {
      String p = ConfigReader.join(base, name);
      if (r.object(p, true) == null) {
        ok = false;
        continue;
      }
      if (!CHAIN_NAME.matcher(name).matches()) {
        r.problem(p, "a chain name is 1 to 32 lower-case letters, digits or '-', got \"" + name + "\"", r.value(p));
        ok = false;
      }
      Long id = r.integer(p + ".id", 1, 0xFFFF);
      if (id != null) {
        String other = ids.putIfAbsent(id, name);
        if (other != null) {
          r.problem(p + ".id", id + " is also the id of chain '" + other + "'; chain ids are unique", r.value(p + ".id"));
          id = null;
        }
      }
      List<URI> urls = rpcUrls(p + ".rpc-urls");
      Address core = address(p + ".core-address");
      Finality finality = r.has(p + ".finality") ? finality(p + ".finality", false) : defFinality;
      Long start = r.has(p + ".start-block") ? r.integer(p + ".start-block", 0, Long.MAX_VALUE) : defStart;
      Duration poll = r.has(p + ".poll-interval") ? r.duration(p + ".poll-interval", true) : defPoll;
      Duration backoff = r.has(p + ".max-backoff") ? r.duration(p + ".max-backoff", true) : defBackoff;
      Duration timeout = r.has(p + ".rpc-timeout") ? r.duration(p + ".rpc-timeout", true) : defTimeout;
      Long range = r.has(p + ".max-block-range") ? r.integer(p + ".max-block-range", 1, MAX_BLOCK_RANGE) : defRange;
      if (poll != null && backoff != null && backoff.compareTo(poll) < 0) {
        String at = r.has(p + ".max-backoff") ? p + ".max-backoff" : defaults + ".max-backoff";
        r.problem(at, "expected at least the poll interval (" + poll.toMillis() + "ms) for chain '" + name + "', got "
            + backoff.toMillis() + "ms", r.value(at));
        backoff = null;
      }
      if (id == null || urls == null || core == null || finality == null || start == null || poll == null
          || backoff == null || timeout == null || range == null) {
        ok = false;
        continue;
      }
      chains.add(new ChainSettings(id.intValue(), name, urls, core, finality, start, poll, backoff, timeout, range.intValue()));
    }
    if (!ok) return null;
    chains.sort(Comparator.comparingInt(ChainSettings::id));
    return chains;
  }

  /** {@code tags} or {@code { confirmations = N }}. */
  private Finality finality(String path, boolean required) {
    ConfigValue v = r.value(path);
    String expected = "tags (the chain answers the safe and finalized block tags) or { confirmations = N }";
    if (v == null) {
      if (required) r.problem(path, "missing (expected " + expected + ")");
      return null;
    }
    r.consume(path);
    if (v.valueType() == ConfigValueType.STRING && "tags".equals(v.unwrapped())) return new Finality.Tags();
    if (v.valueType() == ConfigValueType.OBJECT) {
      ConfigObject o = (ConfigObject) v;
      boolean ok = true;
      for (String k : new TreeSet<>(o.keySet())) {
        if (!k.equals("confirmations")) {
          r.problem(ConfigReader.join(path, k), "unknown key (finality is tags or { confirmations = N })", o.get(k));
          ok = false;
        }
      }
      if (!o.containsKey("confirmations")) {
        r.problem(path + ".confirmations", "missing (expected an integer 1.." + MAX_CONFIRMATIONS + ")");
        return null;
      }
      Long n = r.asInteger(path + ".confirmations", o.get("confirmations"), 1, MAX_CONFIRMATIONS);
      return ok && n != null ? new Finality.Confirmations(n.intValue()) : null;
    }
    r.problem(path, "expected " + expected + ", got " + r.describe(path, v), v);
    return null;
  }

  private List<URI> rpcUrls(String path) {
    List<ConfigValue> list = r.list(path);
    if (list == null) return null;
    if (list.isEmpty()) {
      r.problem(path, "expected at least one JSON-RPC URL", r.value(path));
      return null;
    }
    List<URI> urls = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      String s = r.asString(p, list.get(i));
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
      if (u == null || u.getScheme() == null || !RPC_SCHEMES.contains(u.getScheme().toLowerCase()) || u.getHost() == null) {
        boolean ws = u != null && u.getScheme() != null && u.getScheme().toLowerCase().startsWith("ws");
        r.problem(p, "expected an http or https URL such as http://127.0.0.1:8545" + (ws ? " (the observer polls over HTTP JSON-RPC;"
            + " use the node's HTTP endpoint instead of its websocket)" : "") + ", got " + r.describe(p, list.get(i)), list.get(i));
        ok = false;
        continue;
      }
      urls.add(u);
    }
    return ok ? urls : null;
  }

  private ClusterSettings cluster(CommitteeSettings committee) {
    String base = ROOT + ".cluster";
    String systemName = r.string(base + ".system-name");
    if (systemName != null && !SYSTEM_NAME.matcher(systemName).matches()) {
      r.problem(base + ".system-name", "expected letters, digits, '_' or '-' (an actor system name), got \"" + systemName
          + "\"", r.value(base + ".system-name"));
      systemName = null;
    }
    String host = host(base + ".host");
    Integer port = r.port(base + ".port", 0);
    String bindHost = r.has(base + ".bind-host") ? host(base + ".bind-host") : null;
    boolean bindOk = !r.has(base + ".bind-host") || bindHost != null;
    List<ConfigValue> list = r.list(base + ".seed-nodes");
    List<ClusterSettings.Seed> seeds = null;
    if (list != null) {
      seeds = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String p = base + ".seed-nodes[" + i + "]";
        String s = r.asString(p, list.get(i));
        ClusterSettings.Seed seed = s == null ? null : seed(p, s, list.get(i));
        if (seed == null) {
          seeds = null;
          break;
        }
        if (!seen.add(seed.toString())) {
          r.problem(p, seed + " is listed twice", list.get(i));
          seeds = null;
          break;
        }
        seeds.add(seed);
      }
      if (seeds != null && seeds.isEmpty() && committee != null && committee.members().size() > 1) {
        r.problem(base + ".seed-nodes", "no seed nodes: the " + committee.members().size()
            + " guardians of the committee could not find each other; list the same host:port seeds on every guardian",
            r.value(base + ".seed-nodes"));
        seeds = null;
      }
    }
    if (systemName == null || host == null || port == null || !bindOk || seeds == null) return null;
    return new ClusterSettings(systemName, host, port, Optional.ofNullable(bindHost), seeds);
  }

  private ClusterSettings.Seed seed(String path, String s, ConfigValue at) {
    String hostPart;
    String portPart;
    String t = s.strip();
    if (t.startsWith("[")) { // [ipv6]:port
      int close = t.indexOf(']');
      hostPart = close < 0 ? "" : t.substring(1, close);
      portPart = close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':' ? "" : t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      hostPart = colon < 0 ? t : t.substring(0, colon);
      portPart = colon < 0 ? "" : t.substring(colon + 1);
    }
    int port = -1;
    try {
      port = Integer.parseInt(portPart);
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (hostPart.isEmpty() || hostPart.contains("/") || hostPart.contains("@") || (!t.startsWith("[") && hostPart.contains(":"))
        || port < 1 || port > 65535) {
      r.problem(path, "expected host:port such as 10.0.0.1:7100, got \"" + s + "\"", at);
      return null;
    }
    return new ClusterSettings.Seed(hostPart, port);
  }

  private String host(String path) {
    String h = r.string(path);
    if (h == null) return null;
    if (h.isBlank() || h.contains("/") || h.contains(" ") || h.contains("@")) {
      r.problem(path, "expected a host name or IP address, got \"" + h + "\"", r.value(path));
      return null;
    }
    return h.strip();
  }

  private HttpSettings http(ClusterSettings cluster) {
    String base = ROOT + ".http";
    String host = host(base + ".host");
    Integer port = r.port(base + ".port", 0);
    if (host == null || port == null) return null;
    if (cluster != null && port != 0 && port == cluster.port()
        && (host.equals(cluster.host()) || isWildcard(host) || cluster.bindHost().map(NodeSettingsLoader::isWildcard).orElse(false))) {
      r.problem(base + ".port", port + " is also vigil.node.cluster.port on the same host", r.value(base + ".port"));
      return null;
    }
    return new HttpSettings(host, port);
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::");
  }

  private Address address(String path) {
    ConfigValue v = r.value(path);
    if (v == null) {
      r.problem(path, "missing (expected a 20-byte hex address)");
      return null;
    }
    return address(path, v);
  }

  private Address address(String path, ConfigValue v) {
    String s = r.asString(path, v);
    if (s == null) return null;
    byte[] b = decodeHex(s);
    if (b == null || b.length != Address.LENGTH) {
      r.problem(path, "expected a 20-byte hex address, got " + r.describe(path, v), v);
      return null;
    }
    try {
      return Address.fromHex(s);
    } catch (IllegalArgumentException badChecksum) {
      r.problem(path, "\"" + s + "\" has a bad EIP-55 checksum (mixed-case hex must match it; lower case has none)", v);
      return null;
    }
  }

  private static byte[] decodeHex(String s) {
    String t = s.strip();
    if (!(t.startsWith("0x") || t.startsWith("0X"))) return null; // addresses are written 0x..., never bare
    try {
      return Hex.decode(t);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void unknownKeys() {
    ConfigObject node = r.object(ROOT, false);
    if (node != null) {
      for (String k : node.keySet()) {
        // Pekko dispatcher blocks (e.g. observer-dispatcher): Pekko reads and checks them
        if (k.endsWith("-dispatcher")) {
          String p = ConfigReader.join(ROOT, k);
          r.consume(p);
          r.object(p, true);
        }
      }
    }
    r.reportUnknownKeys(ROOT);
    ConfigObject vigil = r.object("vigil", false);
    if (vigil == null) return;
    for (String k : new TreeSet<>(vigil.keySet())) {
      if (!MODULES.contains(k)) {
        r.problem(ConfigReader.join("vigil", k), "unknown section (Vigil's modules read vigil.node, vigil.consensus, "
            + "vigil.storage and vigil.signing)", vigil.get(k));
      }
    }
  }

  private void checkKeyFile(KeySettings key, CommitteeSettings committee) {
    if (key == null) return;
    String path = ROOT + ".key.file";
    Path f = key.file();
    if (!Files.isRegularFile(f)) {
      r.problem(path, "no key file at " + f + " (create one with: vigil keygen --out " + f + ")", r.value(path));
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        r.problem(path, "key file " + f + " is readable by group or others (mode " + PosixFilePermissions.toString(perms)
            + "); restrict it with: chmod 600 " + f, r.value(path));
        return;
      }
    } catch (UnsupportedOperationException | IOException notPosix) {
      // KeyFile.load checks again where it can
    }
    Address declared;
    try {
      declared = KeyFile.declaredAddress(f);
    } catch (IOException e) {
      r.problem(path, "cannot read key file: " + e.getMessage(), r.value(path));
      return;
    }
    if (declared == null) {
      r.problem(path, "key file " + f + " has no address field, so its membership of the committee cannot be checked",
          r.value(path));
    } else if (committee != null && !committee.members().contains(declared)) {
      r.problem(path, "key file " + f + " holds the key of " + declared + ", which is not a member of committee "
          + committee.index() + " (" + ROOT + ".committee.members)", r.value(path));
    }
  }

  private void checkPassword(KeySettings key) {
    if (key == null) return;
    switch (key.password()) {
      case PasswordSource.FromEnv e -> {
        String v = options.env().get(e.variable());
        if (v == null || v.isEmpty()) {
          String path = ROOT + ".key.password-env";
          r.problem(path, "environment variable " + e.variable() + " (the key file's password) is "
              + (v == null ? "not set" : "empty")
              + (r.value(path) == null ? " (no password-env, password-file or password is configured, so "
                  + PasswordSource.DEFAULT_ENV + " is read)" : ""), r.value(path));
        }
      }
      case PasswordSource.FromFile f -> {
        if (!Files.isRegularFile(f.file())) {
          String path = ROOT + ".key.password-file";
          r.problem(path, "no password file at " + f.file(), r.value(path));
        }
      }
      case PasswordSource.Inline i -> {
        // warned about when read
      }
    }
  }

  private void checkDataDir(Path dataDir) {
    if (dataDir != null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      String path = ROOT + ".data-dir";
      r.problem(path, dataDir + " exists and is not a directory", r.value(path));
    }
  }
}
