package dev.vigil.node.http;

import dev.vigil.signing.Address;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code GET /v1/status} shows: who this node is, how far each chain's observer got, what it
 * last heard from each committee member, and counters (attestations, pending, invalid signatures…).
 *
 * @param committeeIndex the committee this node signs for
 * @param selfIndex this node's signer index in it
 * @param chains one entry per observed chain
 * @param peers one entry per committee member other than this node, by signer index
 * @param counts named counters, e.g. "attestations", "pendingLocal", "invalidSignatures"
 */
public record NodeStatus(
    String nodeName,
    String version,
    long committeeIndex,
    int selfIndex,
    List<Chain> chains,
    List<Peer> peers,
    Map<String, Long> counts) {

  public NodeStatus {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(version, "version");
    chains = List.copyOf(chains);
    peers = List.copyOf(peers);
    counts = Map.copyOf(counts);
  }

  /**
   * @param height the last block the chain's observer processed
   */
  /**
   * One watched chain: {@code height} is the last final block processed; head, safe and finalized
   * as its RPC endpoint last reported them (-1: not known yet); RPC errors so far and the last one.
   */
  public record Chain(
      int chainId,
      String name,
      long height,
      long head,
      long safe,
      long finalized,
      long rpcErrors,
      String lastError) {
    public Chain {
      Objects.requireNonNull(name, "name");
    }

    /** Only the height processed known. */
    public Chain(int chainId, String name, long height) {
      this(chainId, name, height, -1, -1, -1, 0, null);
    }
  }

  /**
   * @param nodeName the name the member gave in its last heartbeat, if any arrived
   * @param reachable whether the member's inbox is currently known through the cluster
   * @param lastHeartbeat when its last valid heartbeat was made
   * @param heights the chain heights its last heartbeat reported, by chain id
   * @param counts what this node counted of the member, e.g. "signed" (valid signatures accepted),
   *     "equivocations", "impersonations": its participation record as seen from here
   */
  public record Peer(
      int signerIndex,
      Address address,
      Optional<String> nodeName,
      boolean reachable,
      Optional<Instant> lastHeartbeat,
      Map<Integer, Long> heights,
      Map<String, Long> counts) {
    public Peer {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(nodeName, "nodeName");
      Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
      heights = Map.copyOf(heights);
      counts = Map.copyOf(counts);
    }
  }
}
