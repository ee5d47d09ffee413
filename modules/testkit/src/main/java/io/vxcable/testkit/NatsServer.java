package io.vxcable.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A private {@code nats-server} (the Debian package) on a free loopback port, for tests. */
public final class NatsServer implements AutoCloseable {

  private final int port;
  private Process process;

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
    Path log = Files.createTempFile("nats-" + port + "-", ".log");
    process = new ProcessBuilder(List.of("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("nats-server did not start on port " + port + ": " + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
