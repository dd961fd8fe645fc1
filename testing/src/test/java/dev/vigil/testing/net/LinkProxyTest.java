package dev.vigil.testing.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link proxy forwards, cuts (reset) and black-holes (hold, then deliver) a real TCP connection on
 * loopback.
 */
class LinkProxyTest {
  private ServerSocket echo;
  private LinkProxy link;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException e) {
                              // the test cut it
                            }
                          });
                } catch (IOException e) {
                  return;
                }
              }
            });
    // a loopback address of its own, as the devnet gives each directed link
    link =
        LinkProxy.start(
            "0->1",
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 1, 2}), 0),
            (InetSocketAddress) echo.getLocalSocketAddress());
  }

  @AfterEach
  void stop() throws IOException {
    link.close();
    echo.close();
  }

  @Test
  void forwardsBothWaysWhilePassing() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    }
    assertThat(link.accepted()).isEqualTo(1);
  }

  @Test
  void dropResetsLiveConnectionsAndRefusesNewOnesUntilTheHeal() throws IOException {
    try (Socket live = connect()) {
      assertThat(roundTrip(live, "before")).isEqualTo("before");
      link.mode(LinkProxy.Mode.DROP);
      assertThatThrownBy(
              () -> {
                live.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
                if (live.getInputStream().read() < 0) throw new IOException("closed");
              })
          .isInstanceOf(IOException.class);
    }
    // the proxy accepts and resets at once: the reset may already hit the connect or only the first
    // read
    assertThatThrownBy(
            () -> {
              try (Socket during = connect()) {
                roundTrip(during, "during");
              }
            })
        .isInstanceOf(IOException.class);
    assertThat(link.reset()).isEqualTo(2);
    link.mode(LinkProxy.Mode.PASS);
    try (Socket healed = connect()) {
      assertThat(roundTrip(healed, "healed")).isEqualTo("healed");
    }
  }

  @Test
  void blackholeHoldsWhatWasSentAndDeliversItAfterTheHeal() throws IOException {
    try (Socket live = connect()) {
      assertThat(roundTrip(live, "a")).isEqualTo("a");
      link.mode(LinkProxy.Mode.BLACKHOLE);
      live.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
      live.setSoTimeout(300);
      assertThatThrownBy(() -> live.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      try (Socket fresh = connect()) { // accepted, but nothing passes either
        fresh.getOutputStream().write("new".getBytes(StandardCharsets.US_ASCII));
        fresh.setSoTimeout(300);
        assertThatThrownBy(() -> fresh.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
        link.mode(LinkProxy.Mode.PASS);
        fresh.setSoTimeout(5_000);
        assertThat(read(fresh, 3)).isEqualTo("new");
      }
      live.setSoTimeout(5_000);
      assertThat(read(live, 4)).isEqualTo("held");
    }
    assertThat(link.reset()).isZero();
  }

  @Test
  void aWideAreaShapeDelaysEachWayKeepsOrderAndImitatesLoss() throws IOException {
    link.shape(new LinkProxy.Shape(java.time.Duration.ofMillis(60), 0));
    try (Socket s = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(s, "slow")).isEqualTo("slow");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms)
          .as("a round trip through the link takes the delay twice at least")
          .isGreaterThanOrEqualTo(120);
      // many small writes: all arrive, in order
      StringBuilder sent = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        String part = i + ",";
        sent.append(part);
        s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(read(s, sent.length())).isEqualTo(sent.toString());
    }
    // a loss rate so high that some chunk of a bulk transfer is held for a retransmission
    link.shape(new LinkProxy.Shape(java.time.Duration.ZERO, 0.5));
    try (Socket s = connect()) {
      byte[] bulk = new byte[256 * 1024];
      java.util.Arrays.fill(bulk, (byte) 'x');
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  s.getOutputStream().write(bulk);
                } catch (IOException e) {
                  // the read below fails then
                }
              });
      assertThat(read(s, bulk.length)).hasSize(bulk.length);
    }
    assertThat(link.stalls()).as("chunks held for an imitated retransmission").isPositive();
    assertThatThrownBy(() -> new LinkProxy.Shape(java.time.Duration.ZERO, 1.0))
        .hasMessageContaining("loss must be in [0, 1)");
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(link.address(), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    return read(s, text.length());
  }

  private static String read(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    byte[] b = in.readNBytes(n);
    if (b.length < n) throw new IOException("closed after " + b.length + " bytes");
    return new String(b, StandardCharsets.US_ASCII);
  }
}
