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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Node examples that come with their channel application, run as their READMEs say: {@code npm ci}
 * in the example's folder, the packaged server, the example's {@code app.mjs} as the HTTP RPC
 * application, then the example's client and its publisher. Asserts on what they print.
 * <ul>
 *   <li>{@code examples/graphql-subscriptions}: the {@code graphql-ws} client gets the query's result and
 *       one {@code messageAdded} event published by {@code publish.mjs};</li>
 *   <li>{@code examples/ocpp-station}: the {@code ocpp-rpc} station boots (Accepted), charges, takes the
 *       Reset that {@code reset.mjs} broadcasts, and the application logs the station's {@code ack}.</li>
 *   <li>{@code examples/pusher-chat}: the Laravel Echo page in two headless Chromium contexts
 *       ({@code src/test/js/pusher_chat_demo.test.mjs}): presence, whispers, messages sent through the
 *       app's {@code pusher} SDK to the others, receipts on a private channel, departures.</li>
 * </ul>
 */
class ExamplesIT {

  private static final Duration NPM_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void graphqlSubscriptions() throws Exception {
    Path dir = example("graphql-subscriptions");
    npmCi(dir);
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    String broadcastUrl = "http://127.0.0.1:" + broadcastPort + "/_broadcast";
    try (Node app = Node.start(dir, Map.of("PORT", String.valueOf(appPort)), "app.mjs");
         ServerProcess server = ServerProcess.start(port, List.of("--graphql_path=/graphql",
             "--rpc_host=http://127.0.0.1:" + appPort + "/_anycable", "--http_broadcast_port=" + broadcastPort), Map.of());
         Node client = Node.start(dir, Map.of("GRAPHQL_URL", "ws://127.0.0.1:" + port + "/graphql"), "client.mjs", "1")) {
      assertThat(app.await(out -> out.contains("GraphqlChannel RPC on"), Duration.ofSeconds(10))).as(app.output()).isTrue();
      assertThat(client.await(out -> out.contains("subscribed to messageAdded"), Duration.ofSeconds(15)))
          .as(client.output() + "\n--- app ---\n" + app.output() + "\n--- server ---\n" + server.logTail()).isTrue();
      // The operation streams once the application answered its execute: publish until the event arrives.
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (!client.output().contains("messageAdded: ") && System.nanoTime() < deadline) {
        Node.Result published = Node.run(dir, Map.of("BROADCAST_URL", broadcastUrl), Duration.ofSeconds(10),
            "publish.mjs", "hello from ExamplesIT");
        assertThat(published.exitCode()).as(published.output()).isZero();
        client.await(out -> out.contains("messageAdded: "), Duration.ofMillis(300));
      }
      assertThat(client.awaitExit(Duration.ofSeconds(10))).as(client.output()).isZero();
      String out = client.output();
      assertThat(out).as(out + "\n--- app ---\n" + app.output())
          .contains("query result: {\"data\":{\"hello\":\"world\"}}")
          .contains("messageAdded: {\"data\":{\"messageAdded\":{\"text\":\"hello from ExamplesIT\"}}}");
      assertThat(app.output()).contains("connect {\"user\":\"demo\"}").contains("subscribed to graphql/messageAdded");
    }
  }

  @Test
  void ocppStation() throws Exception {
    Path dir = example("ocpp-station");
    npmCi(dir);
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (Node app = Node.start(dir, Map.of("PORT", String.valueOf(appPort)), "app.mjs");
         ServerProcess server = ServerProcess.start(port, List.of("--ocpp_path=/ocpp",
             "--rpc_host=http://127.0.0.1:" + appPort + "/_anycable", "--http_broadcast_port=" + broadcastPort), Map.of());
         Node station = Node.start(dir, Map.of("OCPP_URL", "ws://127.0.0.1:" + port + "/ocpp", "STATION_ID", "CS-IT",
             "SERIAL", "SN-IT"), "station.mjs")) {
      assertThat(station.await(out -> out.contains("waiting for remote commands"), Duration.ofSeconds(15)))
          .as(station.output() + "\n--- app ---\n" + app.output() + "\n--- server ---\n" + server.logTail()).isTrue();
      Node.Result reset = Node.run(dir, Map.of("BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast"),
          Duration.ofSeconds(10), "reset.mjs", "SN-IT", "Hard");
      assertThat(reset.exitCode()).as(reset.output()).isZero();
      assertThat(station.awaitExit(Duration.ofSeconds(10))).as(station.output()).isZero();
      assertThat(station.output())
          .contains("CS-IT: connected with ocpp1.6")
          .contains("CS-IT: boot Accepted (heartbeat every 3 s)")
          .contains("CS-IT: connector 1 reported Available")
          .contains("CS-IT: authorize TAG-001 Accepted")
          .contains("CS-IT: transaction 1 started")
          .contains("CS-IT: transaction 1 stopped (Accepted)")
          .contains("CS-IT: remote Reset (Hard) received");
      String id = reset.output().replaceAll("(?s).*Reset (reset-[0-9a-f]+) to.*", "$1");
      assertThat(app.await(out -> out.contains("CS-IT ack " + id + ": {\"status\":\"Accepted\"}"), Duration.ofSeconds(10)))
          .as(app.output()).isTrue();
      assertThat(app.output())
          .contains("station CS-IT (sn SN-IT) streams from ev/SN-IT")
          .contains("CS-IT booted: vxcable sim-1")
          .contains("CS-IT started transaction 1 on connector 1")
          .contains("CS-IT stopped transaction 1 at 1250 Wh");
    }
  }

  @Test
  void pusherChatInTwoBrowsers() throws Exception {
    Path dir = example("pusher-chat");
    npmCi(dir);
    int port = FreePorts.next();
    int webPort = FreePorts.next();
    // As the example's README starts it, with a short presence TTL: a closed browser leaves in ~3 s.
    try (ServerProcess server = ServerProcess.start(port, List.of("--host=127.0.0.1", "--pusher_app_id=app-id",
             "--pusher_app_key=app-key", "--pusher_secret=app-secret", "--broker=memory", "--presence_ttl=3", "--norpc",
             "--http_broadcast_port=" + FreePorts.next()), Map.of());
         Node app = Node.start(dir, Map.of("PORT", String.valueOf(webPort), "PUSHER_PORT", String.valueOf(port)), "app.mjs")) {
      assertThat(app.await(out -> out.contains("pusher-chat on http://localhost:" + webPort), Duration.ofSeconds(10)))
          .as(app.output()).isTrue();
      browserTestPasses("pusher_chat_demo.test.mjs", Map.of("DEMO_URL", "http://127.0.0.1:" + webPort),
          () -> "--- app ---\n" + app.output() + "\n--- server ---\n" + server.logTail());
    }
  }

  /**
   * examples/rpc-chat as its run.sh starts it (the Java RPC application, the server with the memory
   * broker), driven in two headless Chromium contexts ({@code rpc_chat_demo.test.mjs}); screenshots
   * land in {@code target/screenshots}.
   */
  @Test
  void rpcChatInTwoBrowsers() throws Exception {
    Path dir = example("rpc-chat");
    npmCi(dir);
    int port = FreePorts.next();
    int rpcPort = FreePorts.next();
    int webPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> app = new ArrayList<>(ServerProcess.javaCommand());
    app.addAll(List.of("-jar", dir.resolve("target/rpc-chat.jar").toString()));
    try (ServerProcess chat = ServerProcess.launch(app, Map.of("RPC_PORT", String.valueOf(rpcPort), "WEB_PORT", String.valueOf(webPort),
             "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast", "PUBLIC_DIR", dir.resolve("public").toString()), 0);
         ServerProcess server = ServerProcess.start(port, List.of("--host=127.0.0.1", "--rpc_host=127.0.0.1:" + rpcPort,
             "--http_broadcast_port=" + broadcastPort, "--broker=memory", "--presence_ttl=3"), Map.of())) {
      assertThat(chat.awaitLog("chat app: RPC on :" + rpcPort, Duration.ofSeconds(20))).as(chat.logTail()).isTrue();
      browserTestPasses("rpc_chat_demo.test.mjs", Map.of("DEMO_URL", "http://127.0.0.1:" + webPort + "/?cable=" + port,
          "SHOTS", Path.of("target", "screenshots").toAbsolutePath().toString()),
          () -> "--- app ---\n" + chat.logTail() + "\n--- server ---\n" + server.logTail());
    }
  }

  /** One Chromium demo test (src/test/js) passed, its one test run; {@code context} explains a failure. */
  private static void browserTestPasses(String file, Map<String, String> env, java.util.function.Supplier<String> context) throws Exception {
    NodeRunner.Result r = NodeRunner.run(file, env, Duration.ofSeconds(90));
    assertThat(r.passed()).as(r.output() + "\n" + context.get()).isTrue();
    assertThat(r.output()).contains("pass 1").contains("fail 0");
  }

  private static Path example(String name) {
    return Path.of(System.getProperty("vxcable.examples", "../../examples"), name).toAbsolutePath().normalize();
  }

  /** {@code npm ci} in the example's folder, as its README says (from the local cache when it can). */
  private static void npmCi(Path dir) {
    NodeRunner.Result npm = NodeRunner.npmCi(dir, NPM_TIMEOUT);
    assertThat(npm.passed()).as("npm ci in " + dir + ":\n" + npm.output()).isTrue();
  }

  /** A Node process of an example, its output in a temporary file; closing it kills it and its children. */
  private static final class Node implements AutoCloseable {

    record Result(int exitCode, String output) {}

    private final Process process;
    private final Path log;

    private Node(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Node start(Path dir, Map<String, String> env, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("node"));
      cmd.addAll(List.of(args));
      Path log = Files.createTempFile("example-" + args[0] + "-", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      return new Node(pb.start(), log);
    }

    /** Runs a script to its end, bounded in time. */
    static Result run(Path dir, Map<String, String> env, Duration timeout, String... args) throws Exception {
      try (Node node = start(dir, env, args)) {
        int code = node.awaitExit(timeout);
        return new Result(code, node.output());
      }
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }

    boolean await(Predicate<String> check, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!check.test(output())) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          return check.test(output());
        }
        Thread.sleep(50);
      }
      return true;
    }

    /** The exit code, or -1 when the process did not end in time. */
    int awaitExit(Duration timeout) throws InterruptedException {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() throws IOException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(log);
    }
  }
}
