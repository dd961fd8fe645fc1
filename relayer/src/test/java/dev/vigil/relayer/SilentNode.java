package dev.vigil.relayer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node that hangs: on 127.0.0.1 it answers every request with the headers of an event stream,
 * then sends nothing, ever, and keeps the connection open (a stuck process behind a live socket).
 */
final class SilentNode implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentNode() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor =
        Thread.ofVirtual()
            .name("silent-node")
            .start(
                () -> {
                  while (!server.isClosed()) {
                    try {
                      Socket s = server.accept();
                      open.add(s);
                      Thread.ofVirtual().start(() -> answer(s));
                    } catch (IOException closed) {
                      return;
                    }
                  }
                });
  }

  private static void answer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      int matched = 0; // read the request up to its blank line
      while (matched < 4) {
        int c = in.read();
        if (c < 0) return;
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      s.getOutputStream()
          .write(
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Connections accepted so far. */
  int accepted() {
    return open.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
    acceptor.interrupt();
  }
}
