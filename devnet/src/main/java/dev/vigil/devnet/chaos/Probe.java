package dev.vigil.devnet.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.devnet.Devnet;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Asks the guardians' HTTP APIs what they serve: attestations, readiness, peers, evidence, storage
 * metrics. A guardian that does not answer is an answer too (empty, -1, or the reason), never an
 * exception; every request is bounded by a timeout.
 */
final class Probe implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Devnet devnet;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  Probe(Devnet devnet) {
    this.devnet = devnet;
  }

  int nodes() {
    return devnet.size();
  }

  Optional<Attestation> attestation(int g, MessageId id) {
    return rawAttestation(g, id).flatMap(raw -> AttestationCodec.decode(raw).toOptional());
  }

  /**
   * The attestation guardian {@code g} serves for {@code id}, as bytes; empty if none (or no
   * answer).
   */
  Optional<byte[]> rawAttestation(int g, MessageId id) {
    String path =
        "/v1/attestations/"
            + id.emitterChain()
            + "/"
            + id.emitterAddress().toHex()
            + "/"
            + Long.toUnsignedString(id.sequence());
    return get(g, path)
        .filter(r -> r.statusCode() == 200)
        .flatMap(
            r -> {
              try {
                return Optional.of(Hex.decode(json.readTree(r.body()).path("hex").asText()));
              } catch (IOException | RuntimeException e) {
                return Optional.empty();
              }
            });
  }

  /** Those of {@code ids} that at least one of {@code guardians} serves an attestation for. */
  List<MessageId> attestedBy(List<MessageId> ids, List<Integer> guardians) {
    List<MessageId> out = new ArrayList<>();
    for (MessageId id : ids) {
      if (guardians.stream().anyMatch(g -> rawAttestation(g, id).isPresent())) out.add(id);
    }
    return out;
  }

  /** Null when /readyz answers 200, else its body (or why it could not be read). */
  String notReady(int g) {
    try {
      HttpResponse<String> r = send(g, "/readyz");
      return r.statusCode() == 200 ? null : r.body();
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /**
   * How many peers each guardian's consensus currently reaches (its /v1/status peersConnected); -1
   * if it does not answer.
   */
  int[] peersSeen() {
    int[] out = new int[nodes()];
    Arrays.fill(out, -1);
    for (int g = 0; g < out.length; g++) {
      int i = g;
      get(g, "/v1/status")
          .filter(r -> r.statusCode() == 200)
          .ifPresent(r -> out[i] = (int) readNumber(r.body(), "counts", "peersConnected"));
    }
    return out;
  }

  /** Waits until every guardian's consensus sees all n-1 peers (bounded); false on timeout. */
  boolean awaitConnected(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (Arrays.stream(peersSeen()).allMatch(p -> p == nodes() - 1)) return true;
      if (System.nanoTime() >= deadline) return false;
      Chaos.sleep(500);
    }
  }

  /** Equivocation evidence guardian {@code g} keeps, or -1 if it did not answer. */
  long evidenceTotal(int g) {
    return get(g, "/v1/evidence?limit=1")
        .filter(r -> r.statusCode() == 200)
        .map(r -> readNumber(r.body(), "total"))
        .orElse(-1L);
  }

  /** The guardian's vigil_storage_* samples from /metrics, on one line. */
  String storageMetrics(int g) {
    try {
      return send(g, "/metrics")
          .body()
          .lines()
          .filter(l -> l.startsWith("vigil_storage_"))
          .reduce((a, b) -> a + ", " + b)
          .orElse("none");
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private long readNumber(String body, String... path) {
    try {
      var node = json.readTree(body);
      for (String p : path) node = node.path(p);
      return node.asLong(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private Optional<HttpResponse<String>> get(int g, String path) {
    try {
      return Optional.of(send(g, path));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpResponse<String> send(int g, String path) throws IOException, InterruptedException {
    URI uri = devnet.api(g).resolve(path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    http.close();
  }
}
