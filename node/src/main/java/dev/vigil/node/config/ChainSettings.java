package dev.vigil.node.config;

import dev.vigil.signing.Address;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One source chain: its Vigil chain id (u16), name, JSON-RPC endpoints (first is preferred), core
 * contract, finality rule, poll interval and the most blocks per {@code eth_getLogs} call.
 */
public record ChainSettings(
    int id,
    String name,
    List<URI> rpcUrls,
    Address coreAddress,
    Finality finality,
    Duration pollInterval,
    int maxBlockRange) {
  public ChainSettings {
    Objects.requireNonNull(name, "name");
    rpcUrls = List.copyOf(rpcUrls);
    Objects.requireNonNull(coreAddress, "coreAddress");
    Objects.requireNonNull(finality, "finality");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** Without the endpoints' paths and queries, which often carry provider API keys. */
  @Override
  public String toString() {
    return "ChainSettings[id=" + id + ", name=" + name + ", rpcUrls="
        + rpcUrls.stream().map(u -> u.getScheme() + "://" + u.getAuthority().replaceFirst("^.*@", "") + "/…").toList()
        + ", coreAddress=" + coreAddress + ", finality=" + finality + ", pollInterval=" + pollInterval
        + ", maxBlockRange=" + maxBlockRange + "]";
  }
}
