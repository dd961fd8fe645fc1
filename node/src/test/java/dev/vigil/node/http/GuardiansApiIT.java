package dev.vigil.node.http;

import static dev.vigil.node.http.ApiFixture.assertError;
import static dev.vigil.node.http.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.consensus.aggregation.Participation;
import dev.vigil.consensus.attestation.Committee;
import dev.vigil.signing.Address;
import dev.vigil.signing.Bytes32;
import dev.vigil.signing.MessageId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/guardians} and {@code /v1/guardians/{address}} over a real server, answering from
 * a real participation tracker: of the test committee (index 3, 4 members) members 0 to 2 signed 4
 * messages 2 minutes ago, member 3 signed none; a guardian of the committee before (not a member
 * any more) signed one 3 hours ago; members 1 and 2 sent heartbeats.
 */
class GuardiansApiIT {
  @TempDir static Path dir;
  static ApiFixture api;
  static final Participation tracker = new Participation(Duration.ofSeconds(30));
  static final Address FORMER = Address.fromHex("0x00000000000000000000000000000000000000f1");
  static final Instant HEARTBEAT = Instant.ofEpochMilli(System.currentTimeMillis() - 3000);

  @BeforeAll
  static void start() {
    ApiFixture.Options options = new ApiFixture.Options();
    options.status =
        (db, committee) ->
            new StatusSource() {
              @Override
              public CompletionStage<NodeStatus> status() {
                return ApiFixture.statusFromStore(db, committee).status();
              }

              @Override
              public CompletionStage<Participation.Report> participation() {
                return CompletableFuture.supplyAsync(
                    () -> {
                      synchronized (tracker) {
                        return tracker.report(committee.committee(), System.currentTimeMillis());
                      }
                    });
              }
            };
    api = new ApiFixture(dir.resolve("db"), options);
    Committee c = api.committee.committee();
    long now = System.currentTimeMillis();
    synchronized (tracker) {
      Committee before =
          new Committee(c.index() - 1, List.of(FORMER, c.member(0), c.member(1), c.member(2)));
      BitSet all = new BitSet();
      all.set(0, 4);
      tracker.formed(new MessageId(2, Bytes32.ZERO, 100), before, all, now - 3 * 3600_000L);
      BitSet three = new BitSet();
      three.set(0, 3);
      for (int i = 0; i < 4; i++)
        tracker.formed(new MessageId(2, Bytes32.ZERO, i), c, three, now - 120_000);
      tracker.equivocated(c.member(2), now - 60_000);
      tracker.heartbeat(c.member(1), "guardian-1", HEARTBEAT.toEpochMilli());
      tracker.heartbeat(c.member(2), "guardian-2", HEARTBEAT.toEpochMilli());
    }
  }

  @AfterAll
  static void stop() {
    if (api != null) api.close();
  }

  static JsonNode entry(JsonNode list, Address a) {
    for (JsonNode g : list.path("guardians"))
      if (g.path("address").asText().equals(a.toChecksumHex())) return g;
    throw new AssertionError(a + " is not listed: " + list);
  }

  @Test
  void theListShowsEveryMemberAndFormerOnesWithTheirCountsPerWindow() {
    JsonNode r = json(api.get("/v1/guardians"));
    Committee c = api.committee.committee();
    assertThat(r.path("committeeIndex").asLong()).isEqualTo(c.index());
    assertThat(r.path("windows").toString()).isEqualTo("[\"10m\",\"1h\",\"24h\",\"total\"]");
    assertThat(r.path("graceSeconds").asDouble()).isEqualTo(30.0);
    assertThat(r.path("guardians")).hasSize(5);
    for (int i = 0; i < 4; i++) {
      JsonNode g = r.path("guardians").get(i);
      assertThat(g.path("index").asInt()).isEqualTo(i);
      assertThat(g.path("address").asText()).isEqualTo(c.member(i).toChecksumHex());
      assertThat(g.path("member").asBoolean()).isTrue();
    }

    JsonNode one = entry(r, c.member(1));
    assertThat(one.path("nodeName").asText()).isEqualTo("guardian-1");
    assertThat(one.path("lastHeartbeat").path("at").asText()).isEqualTo(HEARTBEAT.toString());
    assertThat(one.path("lastHeartbeat").path("ageSeconds").asDouble()).isGreaterThanOrEqualTo(3);
    JsonNode tenMinutes = one.path("windows").path("10m");
    assertThat(tenMinutes.path("signed").asLong()).isEqualTo(4);
    assertThat(tenMinutes.path("missed").asLong()).isZero();
    assertThat(tenMinutes.path("participation").asDouble()).isEqualTo(1.0);
    assertThat(one.path("windows").path("total").path("signed").asLong())
        .as("4 now and 1 for the committee before")
        .isEqualTo(5);
    assertThat(one.path("windows").path("1h").path("signed").asLong()).isEqualTo(4);

    JsonNode silent = entry(r, c.member(3));
    assertThat(silent.path("nodeName").isNull()).isTrue();
    assertThat(silent.path("lastHeartbeat").isNull()).isTrue();
    for (String w : List.of("10m", "1h", "24h", "total")) {
      JsonNode counts = silent.path("windows").path(w);
      assertThat(counts.path("signed").asLong()).as(w).isZero();
      assertThat(counts.path("missed").asLong()).as(w).isEqualTo(4);
      assertThat(counts.path("participation").asDouble()).as(w).isEqualTo(0.0);
    }
    assertThat(entry(r, c.member(2)).path("windows").path("10m").path("equivocations").asLong())
        .isEqualTo(1);

    JsonNode former = r.path("guardians").get(4);
    assertThat(former.path("address").asText()).isEqualTo(FORMER.toChecksumHex());
    assertThat(former.path("member").asBoolean()).isFalse();
    assertThat(former.path("index").isNull()).isTrue();
    assertThat(former.path("windows").path("24h").path("signed").asLong()).isEqualTo(1);
    assertThat(former.path("windows").path("1h").path("signed").asLong()).isZero();
    assertThat(former.path("windows").path("1h").path("participation").isNull())
        .as("nothing to count in the last hour")
        .isTrue();
  }

  @Test
  void oneGuardianByAddressInAnyCaseWithOrWithout0x() {
    Committee c = api.committee.committee();
    String hex = c.member(3).toHex().substring(2);
    for (String form :
        List.of(
            c.member(3).toChecksumHex(),
            "0x" + hex,
            hex.toUpperCase(Locale.ROOT),
            "0X" + hex.toUpperCase(Locale.ROOT))) {
      JsonNode g = json(api.get("/v1/guardians/" + form));
      assertThat(g.path("address").asText()).as(form).isEqualTo(c.member(3).toChecksumHex());
      assertThat(g.path("index").asInt()).isEqualTo(3);
      assertThat(g.path("windows").path("total").path("missed").asLong()).isEqualTo(4);
    }
    JsonNode former = json(api.get("/v1/guardians/" + FORMER.toChecksumHex()));
    assertThat(former.path("member").asBoolean()).isFalse();
    assertThat(former.path("windows").path("total").path("signed").asLong()).isEqualTo(1);
  }

  @Test
  void aMalformedAddressIs400AndAnUnknownOne404EachNamingIt() {
    JsonNode shortOne = assertError(api.get("/v1/guardians/0x1234"), 400, "invalid address");
    assertThat(shortOne.path("detail").asText()).contains("40 hex digits", "0x1234");
    JsonNode notHex = assertError(api.get("/v1/guardians/0xzz"), 400, "invalid address");
    assertThat(notHex.path("detail").asText()).contains("'0xzz'");
    String checksum = api.committee.committee().member(1).toChecksumHex();
    int letter = 2;
    while (!Character.isLetter(checksum.charAt(letter))) letter++;
    String broken =
        checksum.substring(0, letter)
            + flipCase(checksum.charAt(letter))
            + checksum.substring(letter + 1);
    if (!broken.equals(checksum.toLowerCase(Locale.ROOT))
        && !broken.equals("0x" + checksum.substring(2).toUpperCase(Locale.ROOT))) {
      JsonNode typo = assertError(api.get("/v1/guardians/" + broken), 400, "invalid address");
      assertThat(typo.path("detail").asText()).contains("EIP-55", broken);
    }

    String stranger = "0x00000000000000000000000000000000000000aa";
    JsonNode unknown = assertError(api.get("/v1/guardians/" + stranger), 404, "not found");
    assertThat(unknown.path("detail").asText())
        .contains(Address.fromHex(stranger).toChecksumHex(), "not a member of committee 3");
  }

  @Test
  void theUnknownPathAnswerListsTheGuardianEndpoints() {
    JsonNode r = assertError(api.get("/v1/nope"), 404, "not found");
    assertThat(r.path("detail").asText()).contains("/v1/guardians", "/v1/guardians/{address}");
  }

  @Test
  void aNodeThatDoesNotTrackParticipationAnswers503() {
    try (ApiFixture plain = new ApiFixture(dir.resolve("plain-db"))) {
      JsonNode r = assertError(plain.get("/v1/guardians"), 503, "participation unavailable");
      assertThat(r.path("detail").asText()).contains("does not track participation");
    }
  }

  private static char flipCase(char ch) {
    return Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch);
  }
}
