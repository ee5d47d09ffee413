package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: no unauthenticated client can exhaust memory or hang the server. One test per hole,
 * each against a server of its own, each running one Node file of {@code src/test/js/hardening/}:
 * a canary subscribed to a public stream must receive every broadcast sent during and after the
 * attack, in order; after the attack {@code /health} answers within 2 s, the server's RSS grew less
 * than a bound, the process is alive and its log never mentions an OutOfMemoryError.
 *
 * <p>The server runs with {@code -Xmx256m} as {@link ServerProcess} does, plus {@code -Xms256m
 * -XX:+AlwaysPreTouch}: the whole heap is resident from the start, so RSS growth measures what the
 * server holds outside the heap (Netty's direct buffers, queued frames), free of the noise of a
 * garbage-collected heap being touched; exhausting the heap itself shows as an OutOfMemoryError.
 */
class HardeningIT {

  static final String SECRET = "qwerty";
  static final String BROADCAST_KEY = hexHmac(SECRET, "broadcast-cable");
  static final String API_KEY = hexHmac(SECRET, "api-cable");
  private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} [A-Z]+ ");

  @Test
  void aPipeliningFloodOnTheMainPortIsHeldBackByBackpressure() {
    attackWithBroadcastPort("pipelining.test.mjs", Map.of(), "--public");
  }

  @Test
  void aPingFloodFromAClientThatNeverReadsIsClosed() {
    attackWithBroadcastPort("ping_flood.test.mjs", Map.of("COMPRESSION", "0"), "--public");
  }

  @Test
  void aPingFloodIsClosedWithCompressionToo() {
    attackWithBroadcastPort("ping_flood.test.mjs", Map.of("COMPRESSION", "1"), "--public", "--enable_ws_compression");
  }

  @Test
  void bigUnauthenticatedBodiesOnTheMainPortAreRefusedUnread() {
    int port = FreePorts.next();
    String base = "http://127.0.0.1:" + port;
    attack("bodies.test.mjs", port, base + "/_broadcast", BROADCAST_KEY,
        Map.of("API_URL", base + "/api/publish", "API_KEY", API_KEY),
        List.of("--secret=" + SECRET, "--noauth", "--public_streams", "--norpc"));
  }

  @Test
  void bigUnauthenticatedBodiesOnListenersOfTheirOwnAreRefusedUnread() {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    int apiPort = FreePorts.next();
    attack("bodies.test.mjs", port, "http://127.0.0.1:" + broadcastPort + "/_broadcast", BROADCAST_KEY,
        Map.of("API_URL", "http://127.0.0.1:" + apiPort + "/api/publish", "API_KEY", API_KEY),
        List.of("--secret=" + SECRET, "--noauth", "--public_streams", "--norpc", "--http_broadcast_port=" + broadcastPort,
            "--api_port=" + apiPort));
  }

  @Test
  void slowlorisAndSilentConnectionsAreClosedWithinTheHeaderTimeout() {
    attackWithBroadcastPort("slowloris.test.mjs", Map.of(), "--public");
  }

  @Test
  void aDecompressionBombIsRefusedWith1009() {
    attackWithBroadcastPort("deflate_bomb.test.mjs", Map.of(), "--public", "--enable_ws_compression");
  }

  @Test
  void aConnectionHoldsAtMostAThousandSubscriptions() {
    attackWithBroadcastPort("subscriptions_cap.test.mjs", Map.of(), "--public");
  }

  @Test
  void malformedHandshakesAreRefusedAndH2cIsNeverSpoken() {
    int apiPort = FreePorts.next();
    attackWithBroadcastPort("handshake.test.mjs", Map.of("API_PORT", String.valueOf(apiPort)), "--public",
        "--api_port=" + apiPort);
  }

  @Test
  void aJwtWithPaddingIsUnauthorized() {
    int port = FreePorts.next();
    attack("jwt_padding.test.mjs", port, "http://127.0.0.1:" + port + "/_broadcast", BROADCAST_KEY, Map.of(),
        List.of("--secret=" + SECRET, "--norpc", "--enforce_jwt"));
  }

  @Test
  void newlinesInLoggedClientValuesDoNotForgeLogLines() throws IOException {
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Path log = attackWithBroadcastPort("log_forging.test.mjs", Map.of("FORGE_NONCE", nonce), "--public", "--debug");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    String marker = "forged-" + nonce;
    // Not vacuous: the forged values did reach the log.
    assertThat(text).as("the client values were logged").contains(marker);
    Pattern forgedLine = Pattern.compile(TIMESTAMP.pattern() + "forged-" + nonce);
    List<String> forged = new ArrayList<>();
    for (String line : text.split("\r\n|\r|\n")) {
      // A line carrying the value must be a real log line, and not one that starts with the forgery.
      if (line.contains(marker) && (forgedLine.matcher(line).find() || !TIMESTAMP.matcher(line).find())) {
        forged.add(line);
      }
    }
    assertThat(forged).as("log lines forged by a client (CR/LF in logged values must be escaped)").isEmpty();
  }

  @Test
  void outOfMemoryEndsTheProcessStartedByTheLauncherScript() {
    Path script = repoRoot().resolve("scripts").resolve("anycable");
    assertThat(script).isRegularFile();
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Xmx48m");
    // The script runs `java` from the PATH: the one running the tests.
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + System.getenv("PATH"));
    outOfMemoryEndsTheProcess(port -> {
      List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
      cmd.addAll(port);
      return cmd;
    }, env);
  }

  @Test
  void outOfMemoryEndsTheProcessEvenWithoutExitOnOutOfMemoryError() {
    String java = ServerProcess.javaCommand().get(0);
    outOfMemoryEndsTheProcess(port -> {
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx48m", "-jar", ServerProcess.jar().toString()));
      cmd.addAll(port);
      return cmd;
    }, Map.of());
  }

  @Test
  void printConfigNeverShowsADerivedSecret() throws Exception {
    Process p = new ProcessBuilder(javaCommand("-jar", ServerProcess.jar().toString(), "--secret=" + SECRET, "--print-config"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("the configuration printed").contains("[server]")
        .doesNotContain(BROADCAST_KEY).doesNotContain(API_KEY).doesNotContain(hexHmac(SECRET, "rpc-cable"));
  }

  // ---------------------------------------------------------------------------------------------

  /** A server with broadcasts on a port of their own (no key); returns the server log. */
  private Path attackWithBroadcastPort(String file, Map<String, String> extraEnv, String... flags) {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> all = new ArrayList<>(List.of(flags));
    all.add("--http_broadcast_port=" + broadcastPort);
    return attack(file, port, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", extraEnv, all);
  }

  /** Starts a server, runs one hardening Node file against it, checks it survived; returns its log. */
  private Path attack(String file, int port, String broadcastUrl, String key, Map<String, String> extraEnv,
      List<String> flags) {
    ServerProcess server = start(port, flags);
    try {
      Map<String, String> env = env(server, broadcastUrl, key);
      env.putAll(extraEnv);
      long t0 = System.nanoTime();
      NodeRunner.Result r = NodeRunner.run("hardening/" + file, env, Duration.ofSeconds(120));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      List<String> failures = new ArrayList<>();
      if (!r.passed()) {
        failures.add("the Node test failed (" + ms + " ms)");
      }
      if (!server.isAlive()) {
        failures.add("the server process exited");
      }
      if (server.logContains("OutOfMemoryError")) {
        failures.add("the server ran out of memory");
      }
      assertThat(failures).as(String.join("; ", failures) + "\n--- node ---\n" + r.output() + "\n--- server log ---\n"
          + server.logTail()).isEmpty();
      return server.log();
    } finally {
      stop(server);
    }
  }

  /**
   * A server with a 48 MiB heap under a legitimate but heavy load (many connections, each with up
   * to 1,000 subscriptions to long stream names) runs out of memory: it must exit by itself,
   * non-zero, within 20 s, saying OutOfMemoryError, so that a supervisor restarts it and clients
   * fail over, instead of hanging with dead threads.
   */
  private void outOfMemoryEndsTheProcess(java.util.function.Function<List<String>, List<String>> command,
      Map<String, String> env) {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> cmd = command.apply(List.of("--host=127.0.0.1", "--port=" + port, "--public",
        "--http_broadcast_port=" + broadcastPort));
    ServerProcess server = ServerProcess.launch(cmd, env, port);
    CompletableFuture<NodeRunner.Result> load = CompletableFuture.supplyAsync(() -> NodeRunner.run(
        "hardening/oom_load.test.mjs", env(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", ""),
        Duration.ofSeconds(120)));
    try {
      boolean oom = server.awaitLog("OutOfMemoryError", Duration.ofSeconds(60));
      assertThat(oom).as("the load drove the server out of memory within 60 s (exit code %s)\n%s",
          server.isAlive() ? "none: still running" : server.awaitExit(Duration.ZERO), server.logTail()).isTrue();
      long t0 = System.nanoTime();
      int code = server.awaitExit(Duration.ofSeconds(20));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      // 3: the JVM's status for -XX:+ExitOnOutOfMemoryError, and the one the server halts with itself.
      assertThat(code).as("exit code of the server after an OutOfMemoryError (-1 = still running 20 s later)\n%s",
          server.logTail()).isEqualTo(3);
      System.out.println("OutOfMemoryError: the server exited with " + code + " " + ms + " ms after it was logged");
    } finally {
      stop(server);
      try {
        System.out.println(load.get(60, TimeUnit.SECONDS).output());
      } catch (Exception e) {
        load.cancel(true);
      }
    }
  }

  private static ServerProcess start(int port, List<String> flags) {
    List<String> cmd = javaCommand("-Xms256m", "-XX:+AlwaysPreTouch", "-jar", ServerProcess.jar().toString(),
        "--host=127.0.0.1", "--port=" + port);
    cmd.addAll(flags);
    return ServerProcess.launch(cmd, Map.of(), port);
  }

  /** {@code java -Xmx256m} (as {@link ServerProcess} runs the server) followed by {@code args}. */
  private static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** SIGTERM, then SIGKILL if the process is still there after 10 s (a JVM hung by an OOM ignores SIGTERM). */
  private static void stop(ServerProcess server) {
    ProcessHandle.of(server.pid()).ifPresent(h -> {
      h.destroy();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception stillThere) {
        h.destroyForcibly();
      }
    });
    server.close();
  }

  private static Path repoRoot() {
    // <root>/modules/launcher/target/vxcable.jar
    return ServerProcess.jar().getParent().getParent().getParent().getParent();
  }

  private static Map<String, String> env(ServerProcess server, String broadcastUrl, String key) {
    return NodeEnv.of(server, broadcastUrl, key, SECRET);
  }

  static String hexHmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
