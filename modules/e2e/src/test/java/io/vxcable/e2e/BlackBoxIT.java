package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NatsServer;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.RedisServer;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged server (java -jar vxcable.jar with anycable-go flags) driven by published npm
 * clients: @anycable/core, @rails/actioncable and ws. Each test starts its own server on free ports
 * and runs one Node test file against it.
 */
class BlackBoxIT {

  static final String SECRET = "qwerty";
  /** hex(HMAC-SHA256("qwerty", "broadcast-cable")), the key anycable-go derives. */
  static final String DERIVED_BROADCAST_KEY = "42923a28b760e667fc92f7c6123bb07a282822b329dd2ef48e7aee7830d98485";

  @Test
  void theOfficialClientReceivesEveryPayloadShapeInOrderAndWhispers() {
    runWithBroadcastPort("core_client.test.mjs", "--public");
  }

  @Test
  void theRailsClientSubscribesAndReceives() {
    runWithBroadcastPort("actioncable.test.mjs", "--public");
  }

  @Test
  void jwtAndSignedStreamsWorkWithoutRpc() {
    int port = FreePorts.next();
    // A key is derived from the secret, so broadcasts share the main port (forwarded over the bus).
    run("signed_jwt.test.mjs", port, "http://127.0.0.1:" + port + "/_broadcast", DERIVED_BROADCAST_KEY,
        List.of("--secret=" + SECRET, "--norpc", "--enforce_jwt"));
  }

  @Test
  void theWireProtocolMatchesAnycableGo() {
    runWithBroadcastPort("protocol.test.mjs", "--public", "--pong_timeout=1", "--path=/cable,/t/{tenant}/cable",
        "--turbo_streams", "--turbo_streams_secret=turbo", "--cable_ready", "--cable_ready_secret=cr",
        "--max_message_size=4096");
  }

  @Test
  void chromiumTalksPermessageDeflateWithTheGateway() {
    runWithBroadcastPort("browser_deflate.test.mjs", "--public", "--enable_ws_compression");
  }

  @Test
  void aSlowClientIsDisconnectedWhileOthersKeepReceiving() {
    runWithBroadcastPort("slow_client.test.mjs", "--public", "--ws_max_pending_size=65536");
  }

  @Test
  void reliableStreamsWithTheMemoryBroker() {
    runWithBroadcastPort("broker.test.mjs", "--public", "--broker=memory");
  }

  @Test
  void serverSentEventsWithEventSourceFetchAndChromium() {
    runWithBroadcastPort("sse.test.mjs", "--public", "--broker=memory", "--sse");
  }

  @Test
  void presenceAndTheRestApiWithTheMemoryBroker() {
    runWithBroadcastPort("presence.test.mjs", "--public", "--broker=memory", "--presence_ttl=2");
  }

  @Test
  void theRestApiOnAPortOfItsOwn() {
    int port = FreePorts.next();
    int apiPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--broker=memory", "--api_port=" + apiPort,
        "--api_path=/rest", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      Map<String, String> env = env(server, "", "");
      env.put("API_PORT", String.valueOf(apiPort));
      NodeRunner.Result r = NodeRunner.run("api_port.test.mjs", env, Duration.ofSeconds(60));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.logTail()).contains("REST API listening on 127.0.0.1:" + apiPort + "/rest");
    }
  }

  @Test
  void broadcastsFromRedisPubSub() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      int port = FreePorts.next();
      int broadcastPort = FreePorts.next();
      try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--broadcast_adapter=http,redis",
          "--redis_url=" + redis.url(), "--http_broadcast_port=" + broadcastPort), Map.of())) {
        Map<String, String> env = env(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "");
        env.put("REDIS_PORT", String.valueOf(redis.port()));
        NodeRunner.Result r = NodeRunner.run("redis_intake.test.mjs", env, Duration.ofSeconds(60));
        assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
        assertThat(server.logTail()).contains("ignoring a pub/sub publication");
      }
    }
  }

  @Test
  void broadcastsFromARedisStreamThroughTheBroker() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      int port = FreePorts.next();
      try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--broker=memory",
          "--broadcast_adapter=http,redisx", "--redis_url=" + redis.url(), "--http_broadcast_port=" + FreePorts.next()),
          Map.of())) {
        Map<String, String> env = env(server, "", "");
        env.put("REDIS_PORT", String.valueOf(redis.port()));
        NodeRunner.Result r = NodeRunner.run("redisx_intake.test.mjs", env, Duration.ofSeconds(60));
        assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      }
    }
  }

  @Test
  void broadcastsFromNats() throws Exception {
    try (NatsServer nats = NatsServer.start()) {
      int port = FreePorts.next();
      try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--broadcast_adapter=http,nats",
          "--nats_servers=" + nats.url(), "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
        Map<String, String> env = env(server, "", "");
        env.put("NATS_PORT", String.valueOf(nats.port()));
        NodeRunner.Result r = NodeRunner.run("nats_intake.test.mjs", env, Duration.ofSeconds(60));
        assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      }
    }
  }

  @Test
  void originsAreChecked() {
    runWithBroadcastPort("origins.test.mjs", "--public", "--allowed_origins=example.com,*.trusted.test");
  }

  @Test
  void sigtermShutsDownGracefully() {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port,
        List.of("--public", "--http_broadcast_port=" + broadcastPort), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("shutdown.test.mjs", env(server, "http://127.0.0.1:" + broadcastPort
          + "/_broadcast", ""), Duration.ofSeconds(60));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
      assertThat(server.logTail()).contains("Shutting down").contains("Server stopped");
    }
  }

  private void runWithBroadcastPort(String file, String... flags) {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> all = new ArrayList<>(List.of(flags));
    all.add("--http_broadcast_port=" + broadcastPort);
    run(file, port, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", all);
  }

  private void run(String file, int port, String broadcastUrl, String key, List<String> flags) {
    try (ServerProcess server = ServerProcess.start(port, flags, Map.of())) {
      NodeRunner.Result r = NodeRunner.run(file, env(server, broadcastUrl, key), Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(server.isAlive()).as("the server survived the test").isTrue();
    }
  }

  private static Map<String, String> env(ServerProcess server, String broadcastUrl, String key) {
    return NodeEnv.of(server, broadcastUrl, key, SECRET);
  }
}
