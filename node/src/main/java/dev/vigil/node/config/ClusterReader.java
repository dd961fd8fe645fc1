package dev.vigil.node.config;

import static dev.vigil.node.config.NodeSettingsLoader.ROOT;

import com.typesafe.config.ConfigValue;
import dev.vigil.node.transport.GuardianCertificates;
import dev.vigil.node.transport.TlsIdentity;
import dev.vigil.signing.Address;
import dev.vigil.signing.Secp256k1Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code vigil.node.cluster} (peer transport, read into Pekko's settings) and {@code
 * vigil.node.http}.
 */
final class ClusterReader {
  // Pekko's rule for actor system names
  private static final Pattern SYSTEM_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");

  private final NodeValues values;
  private final ConfigReader reader;

  ClusterReader(NodeValues values) {
    this.values = values;
    this.reader = values.reader();
  }

  /**
   * @param committee null when it is wrong: then an empty seed list is not checked against its size
   */
  ClusterSettings cluster(CommitteeSettings committee) {
    String base = ROOT + ".cluster";
    String systemName = reader.string(base + ".system-name");
    if (systemName != null && !SYSTEM_NAME.matcher(systemName).matches()) {
      reader.problem(
          base + ".system-name",
          "expected letters, digits, '_' or '-' (an actor system name), got \"" + systemName + "\"",
          reader.value(base + ".system-name"));
      systemName = null;
    }
    String host = values.host(base + ".host");
    Integer port = reader.port(base + ".port", 0);
    String bindHost = reader.has(base + ".bind-host") ? values.host(base + ".bind-host") : null;
    boolean bindOk = !reader.has(base + ".bind-host") || bindHost != null;
    List<ClusterSettings.Seed> seeds = seeds(base + ".seed-nodes", committee);
    String tlsBase = base + ".tls";
    Path tlsKey = reader.has(tlsBase + ".key-file") ? values.path(tlsBase + ".key-file") : null;
    Path tlsCert = reader.has(tlsBase + ".cert-file") ? values.path(tlsBase + ".cert-file") : null;
    boolean tlsOk = (tlsKey == null) == (tlsCert == null);
    if (!tlsOk) {
      String missing = tlsBase + (tlsKey == null ? ".key-file" : ".cert-file");
      reader.problem(
          missing,
          "set both "
              + tlsBase
              + ".key-file and .cert-file (vigil keygen writes them beside the key file), "
              + "or neither",
          reader.value(tlsKey == null ? tlsBase + ".cert-file" : tlsBase + ".key-file"));
    }
    if (systemName == null || host == null || port == null || !bindOk || seeds == null || !tlsOk)
      return null;
    return new ClusterSettings(
        systemName,
        host,
        port,
        Optional.ofNullable(bindHost),
        seeds,
        tlsKey == null ? Optional.empty() : Optional.of(new ClusterSettings.Tls(tlsKey, tlsCert)));
  }

  /**
   * With file checks: the TLS key is owner-only, both files parse, and the certificate is bound to
   * this guardian's own key ({@code guardian}, the key file's address; null when that is unknown).
   */
  void checkTls(ClusterSettings cluster, Address guardian) {
    if (cluster == null || cluster.tls().isEmpty()) return;
    ClusterSettings.Tls tls = cluster.tls().get();
    String keyPath = ROOT + ".cluster.tls.key-file";
    String certPath = ROOT + ".cluster.tls.cert-file";
    if (!ownerOnlyKey(tls.keyFile(), keyPath)) return;
    TlsIdentity identity;
    try {
      identity = TlsIdentity.load(tls.keyFile(), tls.certFile());
    } catch (IllegalArgumentException e) {
      reader.problem(certPath, e.getMessage(), reader.value(certPath));
      return;
    }
    try {
      Address bound =
          GuardianCertificates.verify(
              identity.certificate(), Secp256k1Backends.preferred(), Instant.now());
      if (guardian != null && !bound.equals(guardian)) {
        reader.problem(
            certPath,
            "the TLS certificate "
                + tls.certFile()
                + " is bound to "
                + bound.toChecksumHex()
                + ", not to this guardian's key "
                + guardian.toChecksumHex(),
            reader.value(certPath));
      }
    } catch (CertificateException e) {
      reader.problem(certPath, tls.certFile() + ": " + e.getMessage(), reader.value(certPath));
    }
  }

  private List<ClusterSettings.Seed> seeds(String path, CommitteeSettings committee) {
    List<ConfigValue> list = reader.list(path);
    if (list == null) return null;
    List<ClusterSettings.Seed> seeds = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      String s = reader.asString(p, list.get(i));
      if (s == null) return null;
      ClusterSettings.Seed seed = parseSeed(s);
      if (seed == null) {
        reader.problem(
            p, "expected host:port such as 10.0.0.1:7100, got \"" + s + "\"", list.get(i));
        return null;
      }
      if (!seen.add(seed.toString())) {
        reader.problem(p, seed + " is listed twice", list.get(i));
        return null;
      }
      seeds.add(seed);
    }
    if (seeds.isEmpty() && committee != null && committee.members().size() > 1) {
      reader.problem(
          path,
          "no seed nodes: the "
              + committee.members().size()
              + " guardians of the committee could not find each other; list the same host:port seeds on every guardian",
          reader.value(path));
      return null;
    }
    return seeds;
  }

  /**
   * {@code host:port} or {@code [ipv6]:port} (surrounding blanks ignored), or null: a Pekko URL, a
   * user@, a path, an IPv6 host without brackets or a port outside 1..65535 is not a seed.
   */
  static ClusterSettings.Seed parseSeed(String s) {
    String hostPart;
    String portPart;
    String t = s.strip();
    if (t.startsWith("[")) { // [ipv6]:port
      int close = t.indexOf(']');
      hostPart = close < 0 ? "" : t.substring(1, close);
      portPart =
          close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':'
              ? ""
              : t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      hostPart = colon < 0 ? t : t.substring(0, colon);
      portPart = colon < 0 ? "" : t.substring(colon + 1);
    }
    int port = -1;
    try {
      port = Integer.parseInt(portPart);
    } catch (NumberFormatException ignored) {
      // refused below
    }
    if (hostPart.isEmpty()
        || hostPart.contains("/")
        || hostPart.contains("@")
        || (!t.startsWith("[") && hostPart.contains(":"))
        || port < 1
        || port > 65535) {
      return null;
    }
    return new ClusterSettings.Seed(hostPart, port);
  }

  /**
   * @param cluster null when it is wrong: then the ports are not compared
   */
  HttpSettings http(ClusterSettings cluster) {
    String base = ROOT + ".http";
    String host = values.host(base + ".host");
    Integer port = reader.port(base + ".port", 0);
    Optional<ClusterSettings.Tls> tls =
        tlsFiles(base + ".tls", "a PEM private key and certificate");
    Long maxStreams = reader.integer(base + ".max-streams", 1, 100_000);
    Long perClient =
        reader.integer(
            base + ".max-streams-per-client", 1, maxStreams == null ? 100_000 : maxStreams);
    if (host == null || port == null || maxStreams == null || perClient == null || tls == null)
      return null;
    if (cluster != null
        && port != 0
        && port == cluster.port()
        && (host.equals(cluster.host())
            || isWildcard(host)
            || cluster.bindHost().map(ClusterReader::isWildcard).orElse(false))) {
      reader.problem(
          base + ".port",
          port + " is also vigil.node.cluster.port on the same host",
          reader.value(base + ".port"));
      return null;
    }
    return new HttpSettings(host, port, maxStreams.intValue(), perClient.intValue(), tls);
  }

  /**
   * {@code base.key-file} and {@code base.cert-file}: both, or neither (empty); null (with a
   * problem) when only one is set.
   */
  private Optional<ClusterSettings.Tls> tlsFiles(String base, String what) {
    Path key = reader.has(base + ".key-file") ? values.path(base + ".key-file") : null;
    Path cert = reader.has(base + ".cert-file") ? values.path(base + ".cert-file") : null;
    if ((key == null) != (cert == null)) {
      reader.problem(
          base + (key == null ? ".key-file" : ".cert-file"),
          "set both " + base + ".key-file and .cert-file (" + what + "), or neither",
          reader.value(key == null ? base + ".cert-file" : base + ".key-file"));
      return null;
    }
    return key == null ? Optional.empty() : Optional.of(new ClusterSettings.Tls(key, cert));
  }

  /** With file checks: the HTTPS key is owner-only and both files parse. */
  void checkHttpsTls(HttpSettings http) {
    if (http == null || http.tls().isEmpty()) return;
    ClusterSettings.Tls tls = http.tls().get();
    String keyPath = ROOT + ".http.tls.key-file";
    String certPath = ROOT + ".http.tls.cert-file";
    if (!ownerOnlyKey(tls.keyFile(), keyPath)) return;
    try {
      TlsIdentity.load(tls.keyFile(), tls.certFile());
    } catch (IllegalArgumentException e) {
      reader.problem(certPath, e.getMessage(), reader.value(certPath));
    }
  }

  /** Whether the key file exists and is not open to group or others; else records a problem. */
  private boolean ownerOnlyKey(Path keyFile, String keyPath) {
    try {
      var perms = Files.getPosixFilePermissions(keyFile);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        reader.problem(
            keyPath,
            "TLS key file "
                + keyFile
                + " is open to group or others (mode "
                + PosixFilePermissions.toString(perms)
                + "); restrict it with: chmod 600 "
                + keyFile,
            reader.value(keyPath));
        return false;
      }
    } catch (NoSuchFileException e) {
      reader.problem(keyPath, "no TLS key file at " + keyFile, reader.value(keyPath));
      return false;
    } catch (UnsupportedOperationException | IOException notPosix) {
      // loading names what is wrong
    }
    return true;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::");
  }
}
