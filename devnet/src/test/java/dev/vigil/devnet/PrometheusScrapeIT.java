package dev.vigil.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.DebianPackages;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} package, installed here when missing; skipped
 * naming it otherwise) scrapes a devnet of four guardians with the release's alerting rules loaded.
 * Through Prometheus's own query API: every guardian is up and its series arrive, the rules load
 * and evaluate without error and none fires on a healthy committee, and every query of the shipped
 * Grafana dashboard runs.
 */
class PrometheusScrapeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path MONITORING = Path.of(System.getProperty("vigil.monitoring.dir", "."));

  @TempDir Path dir;

  @Test
  void prometheusScrapesEveryGuardianAndTheShippedRulesAndDashboardWork() throws Exception {
    DebianPackages.Tool prometheus = DebianPackages.ensure("prometheus", "prometheus");
    Assumptions.assumeTrue(prometheus.present(), () -> "skipped: " + prometheus.missing());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    DevnetOptions o =
        DevnetOptions.defaults(dir.resolve("devnet"), out).withFreePorts().withRate(4);
    try (Devnet d = Devnet.start(o)) {
      List<String> targets = new ArrayList<>();
      for (int g = 0; g < d.size(); g++)
        targets.add("\"" + d.api(g).getHost() + ":" + d.api(g).getPort() + "\"");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global: { scrape_interval: 1s, evaluation_interval: 1s }
          rule_files: ["%s"]
          scrape_configs:
            - job_name: vigil
              static_configs: [{ targets: [%s] }]
          """
              .formatted(
                  MONITORING.resolve("vigil-alerts.yml").toAbsolutePath(),
                  String.join(", ", targets)));
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p =
          new ProcessBuilder(
                  prometheus.path().toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
        HttpClient http = HttpClient.newHttpClient();
        Duration every = Duration.ofSeconds(5);
        d.runTraffic(40, null, every);
        assertThat(d.awaitDelivered(Duration.ofMinutes(2), every)).isTrue();

        JsonNode up = await(http, api, "up{job=\"vigil\"} == 1", r -> r.size() == 4, p);
        assertThat(up).as("every guardian scraped").hasSize(4);
        JsonNode attested =
            await(
                http,
                api,
                "sum by (instance) (vigil_attestations_total)",
                r -> r.size() == 4 && values(r).stream().allMatch(v -> v >= 40),
                p);
        assertThat(values(attested)).allMatch(v -> v >= 40);
        assertThat(values(query(http, api, "vigil_peers_connected"))).containsOnly(3.0);
        assertThat(query(http, api, "vigil_chain_block_number{block=\"finalized\"}"))
            .as("2 chains x 4 guardians")
            .hasSize(8);
        assertThat(query(http, api, "vigil_quorum_latency_seconds_count")).hasSize(4);

        JsonNode rules = get(http, api.resolve("rules")).path("data").path("groups").get(0);
        assertThat(rules.path("rules")).hasSize(9);
        for (JsonNode r : rules.path("rules")) {
          assertThat(r.path("health").asText()).as("rule %s", r.path("name")).isEqualTo("ok");
          assertThat(r.path("state").asText())
              .as("rule %s on a healthy committee", r.path("name"))
              .isNotEqualTo("firing");
        }

        JsonNode dashboard = JSON.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            String expr = target.path("expr").asText().replace("$instance", ".*");
            JsonNode r = get(http, api.resolve("query?query=" + enc(expr)));
            assertThat(r.path("status").asText())
                .as("dashboard panel %s: %s", panel.path("title"), expr)
                .isEqualTo("success");
          }
        }
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  static JsonNode await(HttpClient http, URI api, String q, Predicate<JsonNode> ok, Process p)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    JsonNode r = null;
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("prometheus is running").isTrue();
      try {
        r = query(http, api, q);
        if (ok.test(r)) return r;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("Prometheus did not answer " + q + " as expected within 90 s: " + r);
  }

  static JsonNode query(HttpClient http, URI api, String q) throws Exception {
    JsonNode r = get(http, api.resolve("query?query=" + enc(q)));
    assertThat(r.path("status").asText()).as("query %s: %s", q, r).isEqualTo("success");
    return r.path("data").path("result");
  }

  static List<Double> values(JsonNode result) {
    List<Double> out = new ArrayList<>();
    for (JsonNode s : result) out.add(Double.parseDouble(s.path("value").get(1).asText()));
    return out;
  }

  static JsonNode get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
