package io.vxcable.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** A private {@code nats-server} (the Debian package) on a free loopback port, for tests. */
public final class NatsServer implements AutoCloseable {

  private final int port;
  private LocalProcess process;

  private NatsServer(int port) {
    this.port = port;
  }

  public static NatsServer start() throws IOException {
    NatsServer n = new NatsServer(FreePorts.next());
    n.restart();
    return n;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** (Re)starts the server on the same port and waits until it accepts connections. */
  public void restart() throws IOException {
    stop();
    process = LocalProcess.start(List.of("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port)), this::accepts);
  }

  public void stop() {
    if (process != null) {
      process.stop();
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
