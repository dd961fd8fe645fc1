package dev.vigil.testing.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports, none handed out twice by one instance. */
public final class Ports {
  private final Set<Integer> given = new HashSet<>();

  public synchronized int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int p = s.getLocalPort();
        if (given.add(p)) return p;
      } catch (IOException e) {
        throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("no free loopback port after 100 tries");
  }

  /** {@code base + offset}, or a free port when {@code base} is 0. */
  public int pick(int base, int offset) {
    return base == 0 ? free() : base + offset;
  }
}
