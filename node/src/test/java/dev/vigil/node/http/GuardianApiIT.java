package dev.vigil.node.http;

import static dev.vigil.node.http.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.vigil.consensus.actor.ConsensusActor;
import dev.vigil.consensus.attestation.Attestation;
import dev.vigil.consensus.attestation.AttestationVerifier;
import dev.vigil.consensus.attestation.CommitteeHistory;
import dev.vigil.consensus.observation.Observation;
import dev.vigil.consensus.testing.LocalCommittee;
import dev.vigil.consensus.testing.Observations;
import dev.vigil.node.metrics.NodeMetrics;
import dev.vigil.signing.Hex;
import dev.vigil.signing.Secp256k1Backends;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on a real guardian: member 0 of a 4-member committee (four Pekko cluster nodes on
 * 127.0.0.1, four RocksDB data dirs), wired the way the node wires it. Attestations the committee
 * forms reach the stream and the store; status shows the peers' heartbeats.
 */
class GuardianApiIT {
  @TempDir Path dir;

  @Test
  void attestationsFormedByTheCommitteeAreStreamedStoredAndVerifiable() throws Exception {
    List<Observation> messages = Observations.generate(5, 3, 32);
    HttpClient http = HttpClient.newHttpClient();
    try (LocalCommittee c =
        LocalCommittee.create(4, dir, ConfigFactory.empty(), Secp256k1Backends.preferred(), 3)) {
      c.startAll();
      c.awaitConnected(Duration.ofSeconds(60));
      ActorSystem<ConsensusActor.Command> system = c.node(0).system();

      // the wiring: the hub's actor subscribes to the consensus actor (the system's guardian)
      AttestationHub hub = new AttestationHub();
      ActorRef<Attestation> hubActor =
          system.systemActorOf(hub.behavior(), "attestation-hub", Props.empty());
      system.tell(new ConsensusActor.Subscribe(hubActor));
      StatusSource status =
          new ConsensusStatus(
              system,
              system,
              "guardian-0",
              "test",
              c.committee(),
              0,
              () -> List.of(new NodeStatus.Chain(Observations.CHAIN, "devnet-2", 1004)),
              Duration.ofSeconds(5),
              Duration.ofSeconds(10),
              Duration.ofSeconds(1),
              Clock.systemUTC());
      Readiness readiness =
          Readiness.builder()
              .check("database", Readiness.databaseOpen(c.db(0)))
              .check("cluster", Readiness.clusterMemberUp(system))
              .build();
      HttpApi api =
          HttpApi.start(
                  system,
                  HttpApiSettings.defaults().withPort(0),
                  new HttpApi.Dependencies(
                      c.db(0).attestations(),
                      c.db(0).evidence(),
                      c::committee,
                      status,
                      hub,
                      new NodeMetrics(),
                      readiness))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      try (SseClient stream =
          new SseClient(
              http, java.net.URI.create(api.uri() + "/v1/attestations/stream"), Map.of())) {
        stream.awaitOpen();
        for (Observation o : messages) for (int i = 0; i < 4; i++) c.observe(i, o);

        // the order in which quorums complete is the committee's business; each message comes once
        List<SseClient.Event> events = stream.take(messages.size());
        Set<String> expected =
            messages.stream().map(o -> o.messageId().toString()).collect(Collectors.toSet());
        assertThat(events)
            .extracting(SseClient.Event::id)
            .containsExactlyInAnyOrderElementsOf(expected);

        AttestationVerifier verifier = new AttestationVerifier(CommitteeHistory.of(c.committee()));
        for (SseClient.Event e : events) {
          JsonNode j = ApiFixture.JSON.readTree(e.data());
          byte[] raw = Hex.decode(j.path("hex").asText());
          assertThat(verifier.verify(raw).isValid())
              .as("attestation %s verifies against the committee", e.id())
              .isTrue();
          assertThat(j.path("signerIndices").size()).isGreaterThanOrEqualTo(c.committee().quorum());
          // and the store behind GET has it, byte for byte
          HttpResponse<String> byId = get(http, api, "/v1/attestations/" + e.id());
          if (byId.statusCode() == 404) {
            // the actor stores on its blocking dispatcher after publishing; give it a moment
            byId = awaitStored(http, api, e.id());
          }
          assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
          assertThat(json(byId).path("digest").asText()).isEqualTo(j.path("digest").asText());
        }
      }

      // every peer's heartbeat arrives within a few heartbeat intervals (2 s)
      JsonNode st = null;
      for (int i = 0; i < 100; i++) {
        st = json(get(http, api, "/v1/status"));
        Set<Integer> heard = new HashSet<>();
        for (JsonNode p : st.path("peers"))
          if (!p.path("lastHeartbeat").isNull()) heard.add(p.path("signerIndex").asInt());
        if (heard.equals(Set.of(1, 2, 3))) break;
        Thread.sleep(200);
      }
      assertThat(st.path("nodeName").asText()).isEqualTo("guardian-0");
      assertThat(st.path("committeeIndex").asLong()).isEqualTo(LocalCommittee.COMMITTEE_INDEX);
      assertThat(st.path("counts").path("attestations").asLong()).isEqualTo(messages.size());
      assertThat(st.path("counts").path("peersConnected").asLong()).isEqualTo(3);
      assertThat(st.path("chains").get(0).path("height").asLong()).isEqualTo(1004);
      for (JsonNode p : st.path("peers")) {
        assertThat(p.path("nodeName").asText())
            .isEqualTo("guardian-" + p.path("signerIndex").asInt());
        assertThat(p.path("reachable").asBoolean()).isTrue();
        assertThat(p.path("address").asText())
            .isEqualTo(c.committee().member(p.path("signerIndex").asInt()).toChecksumHex());
      }

      // each attestation formed or adopted here counts at least a quorum of signers as signed
      JsonNode guardians = null;
      for (int i = 0; i < 300; i++) {
        guardians = json(get(http, api, "/v1/guardians"));
        long signed = 0;
        for (JsonNode g : guardians.path("guardians"))
          signed += g.path("windows").path("total").path("signed").asLong();
        if (signed >= (long) c.committee().quorum() * messages.size()) break;
        Thread.sleep(200);
      }
      assertThat(guardians.path("committeeIndex").asLong())
          .isEqualTo(LocalCommittee.COMMITTEE_INDEX);
      assertThat(guardians.path("guardians")).hasSize(4);
      long signed = 0;
      for (int i = 0; i < 4; i++) {
        JsonNode g = guardians.path("guardians").get(i);
        assertThat(g.path("index").asInt()).isEqualTo(i);
        assertThat(g.path("address").asText()).isEqualTo(c.committee().member(i).toChecksumHex());
        assertThat(g.path("nodeName").asText()).isEqualTo("guardian-" + i);
        assertThat(g.path("member").asBoolean()).isTrue();
        assertThat(g.path("lastHeartbeat").path("at").asText()).isNotEmpty();
        JsonNode total = g.path("windows").path("total");
        assertThat(total.path("equivocations").asLong()).isZero();
        assertThat(total.path("signed").asLong() + total.path("late").asLong())
            .isLessThanOrEqualTo(messages.size());
        signed += total.path("signed").asLong();
      }
      assertThat(signed).isGreaterThanOrEqualTo((long) c.committee().quorum() * messages.size());
      JsonNode one =
          json(get(http, api, "/v1/guardians/" + c.committee().member(2).toChecksumHex()));
      assertThat(one.path("index").asInt()).isEqualTo(2);

      assertThat(get(http, api, "/readyz").statusCode()).isEqualTo(200);
      api.close();
    }
  }

  private static HttpResponse<String> awaitStored(HttpClient http, HttpApi api, String id)
      throws Exception {
    HttpResponse<String> r = null;
    for (int i = 0; i < 50; i++) {
      r = get(http, api, "/v1/attestations/" + id);
      if (r.statusCode() != 404) return r;
      Thread.sleep(100);
    }
    return r;
  }

  private static HttpResponse<String> get(HttpClient http, HttpApi api, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(java.net.URI.create(api.uri() + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
