package io.vxcable.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private {@code redis-server} (the Debian package) on a free loopback port, with nothing kept
 * on disk, for tests that need a real Redis. Never the system instance on 6379.
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private LocalProcess process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts one on a free port and waits until it answers PING. */
  public static RedisServer start() throws IOException {
    RedisServer r = new RedisServer(FreePorts.next(), null);
    r.restart();
    return r;
  }

  /**
   * Starts one that keeps its data across {@link #restart()} (append-only file, fsync on every
   * write, in a fresh temporary directory): what Redis acknowledged survives a restart.
   */
  public static RedisServer startPersistent() throws IOException {
    RedisServer r = new RedisServer(FreePorts.next(), Files.createTempDirectory("redis-data-"));
    r.restart();
    return r;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** (Re)starts the server on the same port; a running one is stopped first. */
  public void restart() throws IOException {
    stop();
    List<String> cmd = new java.util.ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--protected-mode", "no"));
    if (dir == null) {
      cmd.addAll(List.of("--appendonly", "no"));
    } else {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
    }
    process = LocalProcess.start(cmd, this::answersPing);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. */
  public void stop() {
    if (process != null) {
      process.stop();
    }
  }

  /** Sends one command in RESP and returns the first reply line (for test set-up without a client). */
  public String command(String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  private boolean answersPing() {
    try {
      return "+PONG".equals(command("PING"));
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
