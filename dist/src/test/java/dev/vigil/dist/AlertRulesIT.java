package dev.vigil.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.DebianPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules that ship in the release pass Prometheus's own checks: {@code promtool check
 * rules} and the unit tests in {@code vigil-alerts.test.yml} (one group per alert: a guardian or
 * chain for which it must fire, one for which it must not). promtool comes from Debian's {@code
 * prometheus} package, installed here when missing; without it the test is skipped naming it.
 */
class AlertRulesIT {
  static final Path MONITORING =
      Path.of(System.getProperty("basedir", "."), "src", "monitoring").toAbsolutePath();

  @Test
  void theShippedRulesAreValidAndTheirUnitTestsPass() throws Exception {
    DebianPackages.Tool promtool = DebianPackages.ensure("promtool", "prometheus");
    Assumptions.assumeTrue(promtool.present(), () -> "skipped: " + promtool.missing());
    assertThat(run(promtool.path().toString(), "check", "rules", "vigil-alerts.yml"))
        .contains("SUCCESS: 9 rules found");
    assertThat(run(promtool.path().toString(), "test", "rules", "vigil-alerts.test.yml"))
        .contains("SUCCESS");
  }

  static String run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd).directory(MONITORING.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", cmd), out).isZero();
    return out;
  }
}
