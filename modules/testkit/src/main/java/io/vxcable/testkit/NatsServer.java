package io.vxcable.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A private {@code nats-server} (the Debian package) on a free loopback port, for tests. */
public final class NatsServer implements AutoCloseable {

  private final int port;
  /** JetStream's store directory; null = JetStream off. Kept across restarts. */
  private final Path storeDir;
  private LocalProcess process;

  private NatsServer(int port, Path storeDir) {
    this.port = port;
    this.storeDir = storeDir;
  }

  public static NatsServer start() throws IOException {
    NatsServer n = new NatsServer(FreePorts.next(), null);
    n.restart();
    return n;
  }

  /** A server with JetStream on, its store in a fresh temporary directory that survives {@link #restart}. */
  public static NatsServer startJetStream() throws IOException {
    NatsServer n = new NatsServer(FreePorts.next(), Files.createTempDirectory("nats-js"));
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
    List<String> command = new ArrayList<>(List.of("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port)));
    if (storeDir != null) {
      command.addAll(List.of("-js", "-sd", storeDir.toString()));
    }
    process = LocalProcess.start(command, this::accepts);
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
