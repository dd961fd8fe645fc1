package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationCodec;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.attestation.Verdict;
import dev.vigil.signing.Digest;
import dev.vigil.signing.Hex;
import dev.vigil.signing.MessageId;
import dev.vigil.signing.keystore.DevKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system as a user runs it: two anvil chains, four guardian processes, the relayer. 200
 * messages each way are executed exactly once on the other chain, every guardian serves a valid
 * attestation of the same digest for each, and a guardian SIGKILLed and restarted mid-run changes
 * neither.
 */
class DevnetEndToEndIT {
  @TempDir Path dir;

  @Test
  void messagesCrossBothWaysExactlyOnceThroughAGuardianCrash() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new TeeStream(log, System.out), true, StandardCharsets.UTF_8);
    DevnetOptions o = DevnetOptions.defaults(dir, out).withFreePorts().withRate(6);
    try (Devnet d = Devnet.start(o)) {
      Duration every = Duration.ofSeconds(5);
      d.runTraffic(160, null, every);
      d.guardian(3).kill(); // SIGKILL mid-run: no shutdown, no flush
      out.println("guardian 3 SIGKILLed");
      d.runTraffic(80, null, every);
      d.guardian(3).start();
      out.println("guardian 3 restarted");
      d.runTraffic(160, null, every);
      assertThat(d.awaitDelivered(Duration.ofMinutes(3), every))
          .as("every message delivered")
          .isTrue();

      List<MessageId> ids = d.publishedIds();
      assertThat(ids).hasSize(400);
      long fromA = ids.stream().filter(m -> m.emitterChain() == Devnet.CHAIN_A).count();
      assertThat(fromA).isEqualTo(200);
      // exactly once: each receiver executed exactly the other chain's messages, no more
      assertThat(d.receiver(1).receivedCount()).isEqualTo(fromA);
      assertThat(d.receiver(0).receivedCount()).isEqualTo(ids.size() - fromA);
      assertThat(d.relayer().snapshot().gaveUp()).isZero();
      // the committee ran over mutual TLS, the restarted guardian too (it started twice)
      for (int g = 0; g < 4; g++) {
        assertThat(java.nio.file.Files.readString(dir.resolve("logs/guardian-" + g + ".log")))
            .as("guardian %d's log", g)
            .contains("cluster transport: mutual TLS")
            .doesNotContain("cluster transport: plain TCP");
      }

      // every guardian (the restarted one too) serves a valid attestation of the same body for
      // every message. The signer sets may differ: each guardian forms its attestation from the
      // first quorum of signatures it holds, and any quorum is equally valid on every chain.
      d.awaitReady(Duration.ofMinutes(2));
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      AttestationVerifier verifier =
          new AttestationVerifier(
              CommitteeHistory.of(
                  new Committee(
                      0, IntStream.range(0, d.size()).mapToObj(DevKeys::address).toList())));
      Map<MessageId, Digest> first = new HashMap<>();
      for (int g = 0; g < d.size(); g++) {
        for (MessageId id : ids) {
          byte[] raw = Hex.decode(awaitAttestation(http, json, d.api(g), id));
          assertThat(verifier.verify(raw))
              .as("guardian %d, message %s", g, id)
              .isEqualTo(Verdict.VALID);
          Attestation a = AttestationCodec.decode(raw).orElseThrow();
          assertThat(a.messageId()).isEqualTo(id);
          Digest prev = first.putIfAbsent(id, a.digest());
          if (prev != null)
            assertThat(a.digest()).as("guardian %d, message %s", g, id).isEqualTo(prev);
        }
      }

      // what an operator's dashboard shows: each guardian signed (at most once per message) and,
      // those
      // that ran throughout, counted their peers' signatures (the restarted one may have caught up
      // from whole attestations only)
      for (int g = 0; g < d.size(); g++) {
        URI metrics = d.api(g).resolve("/metrics");
        long deadline =
            System.nanoTime()
                + Duration.ofSeconds(15).toNanos(); // counters are refreshed every 2 s
        dev.vigil.node.metrics.PrometheusText.Exposition e;
        do {
          Thread.sleep(500);
          e =
              dev.vigil.node.metrics.PrometheusText.parse(
                  http.send(
                          HttpRequest.newBuilder(metrics).GET().build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
        } while ((e.samples().getOrDefault("vigil_signatures_sent_total", 0.0) == 0
                || (g != 3 && e.samples().getOrDefault("vigil_signatures_received_total", 0.0) == 0)
                || attestationsOf(e, Devnet.CHAIN_A) == 0
                || attestationsOf(e, Devnet.CHAIN_B) == 0)
            && System.nanoTime() < deadline);
        assertThat(e.value("vigil_signatures_sent_total"))
            .as("guardian %d signatures sent", g)
            .isPositive()
            .isLessThanOrEqualTo(ids.size());
        if (g != 3)
          assertThat(e.value("vigil_signatures_received_total"))
              .as("guardian %d signatures received", g)
              .isPositive();
        // attestations counted under the chain each message came from, formed here or received
        // whole
        assertThat(attestationsOf(e, Devnet.CHAIN_A))
            .as("guardian %d attestations from chain %d", g, Devnet.CHAIN_A)
            .isPositive();
        assertThat(attestationsOf(e, Devnet.CHAIN_B))
            .as("guardian %d attestations from chain %d", g, Devnet.CHAIN_B)
            .isPositive();
        assertThat(e.samples().keySet())
            .as("guardian %d: no attestation under a chain that sent none", g)
            .filteredOn(k -> k.startsWith("vigil_attestations_total{"))
            .allMatch(
                k ->
                    k.contains("chain=\"" + Devnet.CHAIN_A + "\"")
                        || k.contains("chain=\"" + Devnet.CHAIN_B + "\""));
      }
    }
  }

  /** vigil_attestations_total of one emitter chain, local and from peers together. */
  private static double attestationsOf(
      dev.vigil.node.metrics.PrometheusText.Exposition e, int chain) {
    return e.samples().entrySet().stream()
        .filter(
            s ->
                s.getKey().startsWith("vigil_attestations_total{")
                    && s.getKey().contains("chain=\"" + chain + "\""))
        .mapToDouble(java.util.Map.Entry::getValue)
        .sum();
  }

  static String awaitAttestation(HttpClient http, ObjectMapper json, URI api, MessageId id)
      throws Exception {
    URI uri =
        api.resolve(
            "/v1/attestations/"
                + id.emitterChain()
                + "/"
                + id.emitterAddress().toHex()
                + "/"
                + Long.toUnsignedString(id.sequence()));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode j = json.readTree(r.body());
        return j.path("hex").asText();
      }
      if (System.nanoTime() > deadline)
        throw new AssertionError(api + " has no attestation for " + id + ": " + r.body());
      Thread.sleep(200);
    }
  }

  /** Copies progress to the test output as well as keeping it. */
  static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
