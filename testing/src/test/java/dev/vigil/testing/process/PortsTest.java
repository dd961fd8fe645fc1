package dev.vigil.testing.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ports handed to guardians and proxies never collide with each other, with another listener, or
 * with the ephemeral range.
 */
class PortsTest {
  @Test
  void twoHundredReservationsAreDistinctAndAllBelowTheEphemeralRange() {
    try (Ports ports = new Ports()) {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        int p = ports.reserve();
        assertThat(seen.add(p)).as("port %d handed out twice", p).isTrue();
        assertThat(p).isBetween(Ports.LOW, Ports.ephemeralLow() - 1);
      }
    }
  }

  @Test
  void aReservedPortCannotBeTakenByAnotherListenerUntilItIsReleased() throws IOException {
    try (Ports ports = new Ports()) {
      int p = ports.reserve();
      assertThat(canBind(p)).as("port %d while reserved", p).isFalse();
      ports.release(p);
      assertThat(canBind(p)).as("port %d once released", p).isTrue();
    }
  }

  @Test
  void aPortSomeoneElseListensOnIsNeverHandedOut() throws IOException {
    // a range of three ports, one of them taken: only the other two are handed out, then none
    int low = 24_000 + (int) (ProcessHandle.current().pid() % 1000) * 3;
    try (ServerSocket taken = new ServerSocket(low + 1, 1, InetAddress.getLoopbackAddress());
        Ports ports = new Ports(low, low + 3)) {
      Set<Integer> got = Set.of(ports.reserve(), ports.reserve());
      assertThat(got).containsExactlyInAnyOrder(low, low + 2);
      assertThatThrownBy(ports::reserve)
          .hasMessageContaining("no free loopback port in [" + low + ", " + (low + 3) + ")");
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
