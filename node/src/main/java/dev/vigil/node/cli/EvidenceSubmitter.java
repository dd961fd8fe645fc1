package dev.vigil.node.cli;

import dev.vigil.evm.EquivocationSubmission;
import dev.vigil.evm.EvidenceFeed;
import dev.vigil.evm.EvmClient;
import dev.vigil.evm.VigilStakingContract;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The work of {@code vigil evidence submit}: reads a guardian's {@code /v1/evidence}, sends each
 * complete piece (or the one asked for) to the staking contract, and prints one line per piece.
 */
final class EvidenceSubmitter {
  private final PrintWriter out;

  EvidenceSubmitter(PrintWriter out) {
    this.out = out;
  }

  /** The pieces a node's API serves. */
  static List<EvidenceFeed.Piece> fetch(URI api) throws IOException, InterruptedException {
    URI uri = URI.create(stripSlash(api.toString()) + "/v1/evidence?limit=1000");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("no answer from " + uri + ": " + e.getMessage(), e);
    }
    if (r.statusCode() != 200)
      throw new IOException(uri + " answered HTTP " + r.statusCode() + ": " + r.body());
    try {
      return EvidenceFeed.parse(r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException(uri + " did not answer with evidence: " + e.getMessage());
    }
  }

  /**
   * Submits every complete piece, or only piece {@code only}. Returns true when none failed for a
   * reason other than being slashed already.
   */
  boolean submit(List<EvidenceFeed.Piece> pieces, VigilStakingContract staking, OptionalInt only) {
    if (only.isPresent() && (only.getAsInt() < 0 || only.getAsInt() >= pieces.size())) {
      out.println(
          "no piece " + only.getAsInt() + ": the node serves " + pieces.size() + " (0 to n-1)");
      return false;
    }
    if (pieces.isEmpty()) out.println("the node keeps no evidence");
    boolean ok = true;
    for (EvidenceFeed.Piece p : pieces) {
      if (only.isPresent() && p.number() != only.getAsInt()) continue;
      String head = "piece " + p.number() + " (" + p.message() + ", signer " + p.signer() + "): ";
      if (p.submission().isEmpty()) {
        out.println(head + "not submitted: " + p.incomplete());
        if (only.isPresent()) ok = false;
        continue;
      }
      EquivocationSubmission s = p.submission().get();
      VigilStakingContract.Outcome o = staking.trySubmit(s);
      out.println(head + o.describe());
      out.flush();
      if (o instanceof VigilStakingContract.Failed
          || o instanceof VigilStakingContract.Refused r && !r.error().alreadySlashed()) ok = false;
    }
    return ok;
  }

  /** A client for {@code rpc} that sends from {@code account}, with the chain's own id. */
  static EvmClient client(URI rpc, org.web3j.crypto.Credentials account) throws IOException {
    var web3j =
        org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(rpc.toString()));
    long chainId;
    try {
      chainId = web3j.ethChainId().send().getChainId().longValueExact();
    } catch (IOException | RuntimeException e) {
      throw new IOException("no chain id from " + rpc + ": " + e.getMessage(), e);
    }
    return new EvmClient(web3j, account, chainId);
  }

  private static String stripSlash(String s) {
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }
}
