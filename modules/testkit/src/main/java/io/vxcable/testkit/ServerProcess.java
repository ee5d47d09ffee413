package io.vxcable.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as a child process: {@code java -jar vxcable.jar <flags>}, its output in a
 * log file, started once {@code /health} answers, stopped with SIGTERM (then killed if it hangs).
 */
public final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The fat jar, from the {@code vxcable.jar} system property (set by the build). */
  public static Path jar() {
    String p = System.getProperty("vxcable.jar", "../launcher/target/vxcable.jar");
    return Path.of(p).toAbsolutePath().normalize();
  }

  /** Starts the server with {@code --host=127.0.0.1 --port=<port>} plus {@code flags}, and waits for health. */
  public static ServerProcess start(int port, List<String> flags, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.add("--host=127.0.0.1");
    cmd.add("--port=" + port);
    cmd.addAll(flags);
    return launch(cmd, env, port);
  }

  /** {@code java -Xmx256m} with the JVM running the tests, and the server's class archive ({@link ClassArchive}). */
  public static List<String> javaCommand() {
    Path jar = jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the packaged server is missing: " + jar + " (run mvn package)");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
    cmd.addAll(ClassArchive.options(java, jar));
    return List.copyOf(cmd);
  }

  /**
   * Starts any command and waits until {@code /health} answers on {@code healthPort}, or, when
   * {@code healthPort} is 0, only until the process is started.
   */
  public static ServerProcess launch(List<String> cmd, Map<String, String> env, int healthPort) {
    int port = healthPort;
    try {
      Path dir = Files.createDirectories(Path.of("target", "server-logs"));
      Path log = Files.createTempFile(dir, "server-" + port + "-", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("ANYCABLE_") || k.equals("PORT") || k.equals("REDIS_URL") || k.startsWith("FLY_")
          || k.startsWith("HEROKU_"));
      pb.environment().putAll(env);
      ServerProcess server = new ServerProcess(pb.start(), log, port);
      if (port > 0) {
        server.awaitHealthy(Duration.ofSeconds(60));
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the server", e);
    }
  }

  /** Whether a server on {@code port} answers {@code /health} with 200 now (false while it is not listening). */
  static boolean healthy(HttpClient http, int port) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  private void awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (healthy(http, port)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the server did not become healthy in " + timeout + ":\n" + logTail());
  }

  /** Waits until the log contains {@code text} (bounded); false when the time ran out or the process died. */
  public boolean awaitLog(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (logContains(text)) {
        return true;
      }
      sleep(100);
    }
    return logContains(text);
  }

  /** Whether any line of the log so far contains {@code text}. */
  public boolean logContains(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then waits for the exit (killing after 30 s); returns the exit code. */
  public int stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits for the process to exit by itself (bounded); returns the exit code, or -1 if still alive. */
  public int awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public Path log() {
    return log;
  }

  /** The last lines of the server log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
