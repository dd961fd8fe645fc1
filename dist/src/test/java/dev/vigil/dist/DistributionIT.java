package dev.vigil.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as an operator gets it: vigil-VERSION.tar.gz unpacked into an empty directory away
 * from the source tree, then, from it alone, a new key ({@code bin/vigil keygen}), a checked
 * configuration ({@code bin/vigil config}) and a running guardian ({@code bin/vigil run}) with JSON
 * logs, stopped as a service manager stops it.
 */
class DistributionIT {
  static final String PASSWORD = "a long operator password";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theTarballHoldsTheNodeAloneAndRunsAGuardianFromAnEmptyDirectory() throws Exception {
    Path tarball = Path.of(System.getProperty("vigil.dist.tarball"));
    assertThat(tarball).as("built by ./mvnw package").isRegularFile();
    run(dir, Map.of(), 0, "tar", "xzf", tarball.toString(), "-C", dir.toString());
    Path home;
    try (Stream<Path> s = Files.list(dir)) {
      home = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("vigil-");
    Path vigil = home.resolve("bin/vigil");
    assertThat(Files.isExecutable(vigil)).as("bin/vigil is executable").isTrue();
    for (String f :
        List.of(
            "INSTALL.md", "conf/committee.conf", "conf/operator-1.conf", "systemd/vigil.service"))
      assertThat(home.resolve(f)).isRegularFile();

    // lib/ is exactly the node's run-time classpath: no test fixture, tool or benchmark
    Set<String> lib;
    try (Stream<Path> s = Files.list(home.resolve("lib"))) {
      lib = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    Path nodeTarget = Path.of(System.getProperty("vigil.node.target"));
    Set<String> expected =
        Stream.of(Files.readString(nodeTarget.resolve("classpath.txt")).trim().split(":"))
            .map(p -> Path.of(p).getFileName().toString())
            .collect(Collectors.toSet());
    assertThat(lib).as("lib/ besides the node's own jar").containsAll(expected);
    assertThat(lib).hasSize(expected.size() + 1);
    assertThat(lib).anyMatch(j -> j.startsWith("vigil-node-"));
    assertThat(lib)
        .noneMatch(
            j ->
                j.startsWith("vigil-testing")
                    || j.startsWith("vigil-devnet")
                    || j.startsWith("vigil-bench")
                    || j.startsWith("vigil-relayer")
                    || j.contains("junit")
                    || j.contains("jmh"));

    // a key, made by the release itself
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path password = etc.resolve("guardian.password");
    Files.writeString(password, PASSWORD + "\n");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    String keygen =
        run(
            etc,
            Map.of(),
            0,
            vigil.toString(),
            "keygen",
            "--out",
            etc.resolve("guardian.json").toString(),
            "--password-file",
            password.toString());
    Matcher m = Pattern.compile("0x[0-9a-fA-F]{40}").matcher(keygen);
    assertThat(m.find()).as("keygen prints the address: %s", keygen).isTrue();
    String address = m.group();
    assertThat(etc.resolve("guardian.tls.key")).isRegularFile();
    assertThat(etc.resolve("guardian.tls.crt")).isRegularFile();

    // the configuration: a committee of this one guardian, a chain it cannot reach yet
    int clusterPort = freePort(), httpPort = freePort(), rpcPort = freePort();
    Files.writeString(
        etc.resolve("committee.conf"),
        """
        vigil.node {
          committee { index = 1, members = ["%s"] }
          governance { chain = 1, address = "0x0000000000000000000000000000000000000000000000000000000000000004" }
          chains.alpha { id = 1, rpc-urls = ["http://127.0.0.1:%d"], core-address = "0x5FbDB2315678afecb367f032d93F642f64180aa3" }
          cluster.seed-nodes = ["127.0.0.1:%d"]
        }
        """
            .formatted(address, rpcPort, clusterPort));
    Path node = etc.resolve("node.conf");
    Files.writeString(
        node,
        """
        include required("committee.conf")
        vigil.node {
          name = "operator-1"
          data-dir = "%s"
          key { file = "%s", password-file = "%s" }
          cluster {
            host = "127.0.0.1"
            port = %d
            tls { key-file = "%s", cert-file = "%s" }
          }
          http { host = "127.0.0.1", port = %d }
        }
        """
            .formatted(
                dir.resolve("data"),
                etc.resolve("guardian.json"),
                password,
                clusterPort,
                etc.resolve("guardian.tls.key"),
                etc.resolve("guardian.tls.crt"),
                httpPort));
    run(etc, Map.of(), 0, vigil.toString(), "config", "--config", node.toString());

    // the guardian, with JSON logs, stopped by SIGTERM
    Path log = dir.resolve("guardian.log");
    ProcessBuilder pb =
        new ProcessBuilder(vigil.toString(), "run", "--config", node.toString())
            .directory(etc.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("VIGIL_LOG_FORMAT", "json");
    Process g = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + httpPort);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      String committee = null;
      while (committee == null) {
        assertThat(g.isAlive())
            .as("the guardian is running; its log:%n%s", Files.readString(log))
            .isTrue();
        assertThat(System.nanoTime())
            .as("the guardian's API answered within 120 s; its log:%n%s", Files.readString(log))
            .isLessThan(deadline);
        committee = get(http, base.resolve("/v1/committee"));
        if (committee == null) Thread.sleep(500);
      }
      assertThat(committee).containsIgnoringCase(address.substring(2));
      assertThat(get(http, base.resolve("/metrics"))).contains("vigil_storage_writable 1");
    } finally {
      g.destroy();
      assertThat(g.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    }
    assertThat(g.exitValue()).as("stopped by its operator (SIGTERM)").isIn(0, 143);
    assertThat(dir.resolve("data")).isDirectory();

    // VIGIL_LOG_FORMAT=json: every log event is one JSON object on a line of its own
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (!line.startsWith("{")) continue;
      events.add(JSON.readTree(line));
    }
    assertThat(events).as("JSON log lines in the guardian's log").hasSizeGreaterThan(5);
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.path("level").asText()).isNotEmpty();
              assertThat(e.path("loggerName").asText()).isNotEmpty();
              assertThat(e.path("formattedMessage").isTextual()).isTrue();
            });
    assertThat(events)
        .anySatisfy(e -> assertThat(e.path("formattedMessage").asText()).contains("mutual TLS"));
  }

  @Test
  void withoutAJava21ItSaysSoAndNamesWhatItFound() throws Exception {
    Path tarball = Path.of(System.getProperty("vigil.dist.tarball"));
    run(dir, Map.of(), 0, "tar", "xzf", tarball.toString(), "-C", dir.toString());
    Path vigil;
    try (Stream<Path> s = Files.list(dir)) {
      vigil = s.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin/vigil");
    }
    // no java on the PATH, no JDK directory to search, JAVA_HOME pointing at nothing usable
    String out =
        run(
            dir,
            Map.of(
                "PATH",
                "/usr/bin:/bin",
                "JAVA_HOME",
                dir.resolve("no-jdk").toString(),
                "VIGIL_JVM_DIRS",
                dir.resolve("no-jvms").toString()),
            1,
            "/bin/bash",
            vigil.toString(),
            "--version");
    assertThat(out).contains("vigil: needs Java 21 or newer, and found none.");
    if (Files.isExecutable(Path.of("/usr/bin/java")))
      assertThat(out)
          .as("names the one it found too old")
          .contains("Too old:")
          .contains("/usr/bin/java");
    assertThat(out).contains("set JAVA_HOME");
  }

  /**
   * Runs a command in {@code cwd}, returns its output; {@code exit} >= 0 is the exit code it must
   * end with, -1 any.
   */
  static String run(Path cwd, Map<String, String> env, int exit, String... cmd)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    if (env.containsKey("PATH")) pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
    if (exit >= 0)
      assertThat(p.exitValue())
          .as("%s exit code; output:%n%s", String.join(" ", cmd), out)
          .isEqualTo(exit);
    return out;
  }

  static String get(HttpClient http, URI uri) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
