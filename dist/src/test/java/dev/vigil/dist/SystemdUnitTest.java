package dev.vigil.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped systemd unit is hardened as the README promises: its own user, no new privileges, the
 * file system read-only but for the data dir, restarts on failure only. (No systemd on the build
 * machine to load it; {@code systemd-analyze verify systemd/vigil.service} checks it where there is
 * one.)
 */
class SystemdUnitTest {
  @Test
  void theUnitRunsAsItsOwnUserWritesOnlyItsDataDirAndRestartsOnFailure() throws Exception {
    Map<String, List<String>> service = section("Service");
    assertThat(service.get("User")).containsExactly("vigil");
    assertThat(service.get("ExecStart"))
        .containsExactly("/opt/vigil/bin/vigil run --config /etc/vigil/node.conf");
    assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
    assertThat(service.get("ProtectSystem")).containsExactly("strict");
    assertThat(service.get("ReadWritePaths"))
        .as("the data dir is the only writable path")
        .containsExactly("/var/lib/vigil");
    assertThat(service.get("Environment")).containsExactly("VIGIL_DATA_DIR=/var/lib/vigil");
    assertThat(service.get("StateDirectory")).containsExactly("vigil");
    assertThat(service.get("Restart")).containsExactly("on-failure");
    assertThat(service.get("RestartPreventExitStatus"))
        .as("a guardian removed from its committee (vigil run exits 3) is not restarted")
        .containsExactly("3");
    assertThat(service.get("CapabilityBoundingSet")).containsExactly("");
    assertThat(service).doesNotContainKey("MemoryDenyWriteExecute"); // the JIT writes code
    assertThat(section("Install").get("WantedBy")).containsExactly("multi-user.target");
  }

  /** The key = value lines of one [section], every value of a repeated key in order. */
  private static Map<String, List<String>> section(String name) throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String current = null;
    for (String raw :
        Files.readAllLines(
            Path.of(System.getProperty("basedir", "."), "src/systemd/vigil.service"))) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("[")) {
        current = line.substring(1, line.length() - 1);
        continue;
      }
      if (!name.equals(current)) continue;
      int eq = line.indexOf('=');
      out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
          .add(line.substring(eq + 1));
    }
    return out;
  }
}
