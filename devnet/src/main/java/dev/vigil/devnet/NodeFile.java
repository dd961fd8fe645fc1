package dev.vigil.devnet;

import dev.vigil.signing.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One devnet guardian's node file (HOCON, read by {@code vigil run --config}) from typed fields, so
 * that a value is quoted and placed once, here, and a test can read it back with the node's own
 * loader.
 *
 * @param index the guardian's index (its dev key, and its name {@code devnet-<index>})
 * @param dataDir absolute
 * @param keyFile its encrypted key file, absolute
 * @param passwordFile the key's password file, absolute
 * @param members the committee, in index order
 * @param chains the chains it watches
 * @param cluster where it listens for and finds its peers
 * @param httpPort its HTTP API's port
 * @param httpHost where the HTTP API listens (127.0.0.1; a guardian's own address on its host in a
 *     namespace)
 * @param committeeIndex the index of the committee {@code members} (0, or later for a guardian that
 *     joins by rotation)
 */
record NodeFile(
    int index,
    Path dataDir,
    Path keyFile,
    Path passwordFile,
    List<Address> members,
    List<Chain> chains,
    Cluster cluster,
    int httpPort,
    String httpHost,
    long committeeIndex) {

  /** A guardian of the devnet's first committee (index 0). */
  NodeFile(
      int index,
      Path dataDir,
      Path keyFile,
      Path passwordFile,
      List<Address> members,
      List<Chain> chains,
      Cluster cluster,
      int httpPort,
      String httpHost) {
    this(index, dataDir, keyFile, passwordFile, members, chains, cluster, httpPort, httpHost, 0);
  }

  /** The governance emitter every devnet guardian is given (chain 1, a placeholder address). */
  static final String GOVERNANCE_ADDRESS =
      "0x0000000000000000000000000000000000000000000000000000000000000004";

  /**
   * @param confirmations 0: the chain's finality tags (safe, finalized); else that many
   *     confirmations
   */
  record Chain(String name, int id, String rpcUrl, String coreAddress, int confirmations) {
    Chain {
      Objects.requireNonNull(rpcUrl, "rpcUrl");
      if (confirmations < 0)
        throw new IllegalArgumentException("confirmations must be >= 0, got " + confirmations);
    }
  }

  /**
   * @param host the name or address peers reach it at
   * @param port its cluster port
   * @param bindHost where it listens when that differs from {@code host} (behind link proxies);
   *     null: {@code host}
   * @param seeds {@code host:port} of every seed node
   * @param tls its TLS key and certificate (mutual TLS between guardians); null: plain TCP
   */
  record Cluster(String host, int port, String bindHost, List<String> seeds, Tls tls) {
    Cluster {
      seeds = List.copyOf(seeds);
    }

    Cluster(String host, int port, String bindHost, List<String> seeds) {
      this(host, port, bindHost, seeds, null);
    }
  }

  /** A guardian's cluster TLS key and certificate files, absolute. */
  record Tls(Path keyFile, Path certFile) {}

  NodeFile {
    members = List.copyOf(members);
    chains = List.copyOf(chains);
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("# Written by `vigil devnet` for this run only. LOCAL USE ONLY: public dev key ")
        .append(index)
        .append(".\n");
    b.append("vigil.node {\n");
    b.append("  name = ").append(quote("devnet-" + index)).append('\n');
    b.append("  data-dir = ").append(quote(dataDir.toString())).append('\n');
    b.append("  key { file = ")
        .append(quote(keyFile.toString()))
        .append(", password-file = ")
        .append(quote(passwordFile.toString()))
        .append(" }\n");
    b.append("  committee { index = ")
        .append(committeeIndex)
        .append(", members = ")
        .append(list(members.stream().map(Address::toChecksumHex).toList()))
        .append(" }\n");
    b.append("  governance { chain = 1, address = ")
        .append(quote(GOVERNANCE_ADDRESS))
        .append(" }\n");
    b.append("  chains {\n");
    for (Chain c : chains) {
      b.append("    ").append(c.name()).append(" {\n");
      b.append("      id = ").append(c.id()).append('\n');
      b.append("      rpc-urls = ").append(list(List.of(c.rpcUrl()))).append('\n');
      b.append("      core-address = ").append(quote(c.coreAddress())).append('\n');
      b.append(
          c.confirmations() == 0
              ? "      finality = tags\n"
              : "      finality { confirmations = " + c.confirmations() + " }\n");
      b.append("      poll-interval = 250ms\n");
      b.append("    }\n");
    }
    b.append("  }\n");
    b.append("  cluster { host = ")
        .append(quote(cluster.host()))
        .append(", port = ")
        .append(cluster.port());
    if (cluster.bindHost() != null) b.append(", bind-host = ").append(quote(cluster.bindHost()));
    b.append(", seed-nodes = ").append(list(cluster.seeds()));
    if (cluster.tls() != null) {
      b.append(", tls { key-file = ")
          .append(quote(cluster.tls().keyFile().toString()))
          .append(", cert-file = ")
          .append(quote(cluster.tls().certFile().toString()))
          .append(" }");
    }
    b.append(" }\n");
    b.append("  http { host = ")
        .append(quote(httpHost))
        .append(", port = ")
        .append(httpPort)
        .append(" }\n");
    b.append("}\n");
    // a local network recovers from a restarted guardian in seconds, not minutes
    b.append("vigil.consensus { retry-initial = 1s, retry-max = 5s }\n");
    return b.toString();
  }

  void write(Path file) {
    try {
      Files.writeString(file, render());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write guardian " + index + "'s node file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String list(List<String> values) {
    return values.stream().map(NodeFile::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A HOCON quoted string. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(ch);
      }
    }
    return b.append('"').toString();
  }
}
