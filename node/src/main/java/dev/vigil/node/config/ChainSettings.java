package dev.vigil.node.config;

import dev.vigil.node.observer.Finality;
import dev.vigil.signing.Address;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One source chain.
 *
 * @param id Vigil chain id (u16)
 * @param name the key under vigil.node.chains
 * @param rpcUrls JSON-RPC endpoints, the first preferred
 * @param coreAddress the core contract
 * @param finality when a block counts as final: the safe/finalized tags, or a confirmation depth
 * @param startBlock where a node without a stored cursor for this chain starts reading
 * @param pollInterval how often the head is polled
 * @param maxBackoff the longest wait between polls after RPC failures (at least pollInterval)
 * @param rpcTimeout the timeout of one JSON-RPC call
 * @param maxBlockRange the most blocks asked for in one {@code eth_getLogs} call
 * @param maxPayloadBytes messages with a larger payload are not signed (logged and counted): a
 *     committee-wide policy, so every member should set the same
 * @param rpcAgreement 0: the endpoints are alternatives (the first preferred); k >= 2: every read
 *     goes to all of them and only what k of them return alike is used
 */
public record ChainSettings(
    int id,
    String name,
    List<URI> rpcUrls,
    Address coreAddress,
    Finality finality,
    long startBlock,
    Duration pollInterval,
    Duration maxBackoff,
    Duration rpcTimeout,
    int maxBlockRange,
    int maxPayloadBytes,
    int rpcAgreement) {
  public ChainSettings {
    Objects.requireNonNull(name, "name");
    rpcUrls = List.copyOf(rpcUrls);
    Objects.requireNonNull(coreAddress, "coreAddress");
    Objects.requireNonNull(finality, "finality");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(rpcTimeout, "rpcTimeout");
  }

  /** Without the endpoints' paths and queries, which often carry provider API keys. */
  @Override
  public String toString() {
    return "ChainSettings[id="
        + id
        + ", name="
        + name
        + ", rpcUrls="
        + rpcUrls.stream()
            .map(u -> u.getScheme() + "://" + u.getAuthority().replaceFirst("^.*@", "") + "/…")
            .toList()
        + ", coreAddress="
        + coreAddress
        + ", finality="
        + finality
        + ", startBlock="
        + startBlock
        + ", pollInterval="
        + pollInterval
        + ", maxBackoff="
        + maxBackoff
        + ", rpcTimeout="
        + rpcTimeout
        + ", maxBlockRange="
        + maxBlockRange
        + ", maxPayloadBytes="
        + maxPayloadBytes
        + ", rpcAgreement="
        + rpcAgreement
        + "]";
  }
}
