package dev.vigil.relayer;

import dev.vigil.evm.EquivocationSubmission;
import dev.vigil.evm.EvidenceFeed;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.VigilStakingContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relayer's opt-in evidence submission: each poll reads {@code /v1/evidence} of every node the
 * relayer follows and sends each new complete piece once to VigilStaking, through the same code
 * path as {@code vigil evidence submit} ({@link VigilStakingContract#trySubmit}). A piece is done
 * when it slashed, when the contract refuses it (AlreadySlashed included: another guardian's copy
 * of the same equivocation, or another submitter, came first), or when the same signer was slashed
 * for that message from another copy; a failure of the chain or the account is tried again at the
 * next poll. One piece per (signer, message): the contract slashes a member once per message.
 */
final class EvidenceWatcher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceWatcher.class);

  private final List<URI> nodes;
  private final HttpClient http;
  private final java.time.Duration timeout;
  private final Supplier<VigilStakingContract> staking;
  private VigilStakingContract contract; // made on first use, on the polling thread
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  final AtomicLong slashed = new AtomicLong();
  final AtomicLong alreadySlashed = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  EvidenceWatcher(
      List<URI> nodes,
      HttpClient http,
      java.time.Duration timeout,
      Supplier<VigilStakingContract> staking) {
    this.nodes = List.copyOf(nodes);
    this.http = http;
    this.timeout = timeout;
    this.staking = staking;
  }

  /** The contract from the settings: the evidence chain's RPC, the evidence sender's account. */
  static Supplier<VigilStakingContract> contract(RelayerSettings.EvidenceSubmission e) {
    return () -> {
      var web3j =
          org.web3j.protocol.Web3j.build(
              new org.web3j.protocol.http.HttpService(e.chain().rpcUrl().toString()));
      return VigilStakingContract.at(
          new EvmClient(web3j, e.sender(), e.chain().evmChainId()), e.staking());
    };
  }

  /** One poll of every node; never throws. */
  @Override
  public void run() {
    for (URI node : nodes) {
      try {
        poll(node);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | java.io.IOException e) {
        log.warn("evidence of {}: not read ({})", node, e.getMessage());
      }
    }
  }

  private void poll(URI node) throws java.io.IOException, InterruptedException {
    URI uri = URI.create(node + "/v1/evidence?limit=1000");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      log.warn("evidence of {}: HTTP {}", node, r.statusCode());
      return;
    }
    for (EvidenceFeed.Piece p : EvidenceFeed.parse(r.body())) {
      if (p.submission().isEmpty()) continue;
      EquivocationSubmission s = p.submission().get();
      String key = s.signer() + "/" + s.messageIdHex();
      if (done.contains(key)) continue;
      if (contract == null) contract = staking.get();
      VigilStakingContract.Outcome o = contract.trySubmit(s);
      switch (o) {
        case VigilStakingContract.Done d -> {
          slashed.incrementAndGet();
          done.add(key);
          log.info("evidence from {} against {}: {}", node, s.signer(), o.describe());
        }
        case VigilStakingContract.Refused f -> {
          if (f.error().alreadySlashed()) alreadySlashed.incrementAndGet();
          else refused.incrementAndGet();
          done.add(key);
          log.info("evidence from {} against {}: {}", node, s.signer(), o.describe());
        }
        case VigilStakingContract.Failed f -> {
          failed.incrementAndGet();
          log.warn(
              "evidence from {} against {}: {}; tried again at the next poll",
              node,
              s.signer(),
              o.describe());
        }
      }
    }
  }
}
