package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NatsServer;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.RedisServer;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: anycable-go's multi-node shapes without a Hazelcast cluster. Two unclustered server
 * processes (the packaged jar with anycable-go flags) share broadcasts through the pub/sub bridge
 * over a private Redis or NATS (pubsub_nodes.test.mjs), and with {@code --broker=redis|nats} share
 * history, sessions and presence; history outlives a restart of every node, and a restart of the
 * service under load loses no acknowledged publication (pubsub_faults.test.mjs). Clustered nodes
 * with {@code --pubsub} deliver each message once.
 */
class PubSubNodesIT {

  /**
   * anycable-go's usual multi-node shape: the broker preset with REDIS_URL (memory broker, the
   * http, redisx and redis adapters, Redis pub/sub turned on by the URL). Publications enter
   * through both nodes' HTTP intakes and through the Redis stream (one node consumes each entry).
   */
  @Test
  void theBrokerPresetWithARedisUrlSharesBroadcasts() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      twoNodes(List.of("--presets=broker"), Map.of("REDISX_PORT", String.valueOf(redis.port())), "Redis pub/sub",
          Map.of("REDIS_URL", redis.url()));
    }
  }

  /** Redis broker (Redis pub/sub on by itself): shared positions, sessions, presence, history across restarts, a Redis restart. */
  @Test
  void redisBrokerNodesShareStateAcrossRestartsOfEveryNodeAndOfRedis() throws Exception {
    try (RedisServer redis = RedisServer.startPersistent()) {
      sharedBroker(List.of("--broker=redis", "--redis_url=" + redis.url()), "Redis pub/sub", () -> {
        redis.restart();
        return null;
      });
    }
  }

  /** The same with NATS: JetStream broker, --pubsub=nats, a NATS restart. */
  @Test
  void natsBrokerNodesShareStateAcrossRestartsOfEveryNodeAndOfNats() throws Exception {
    try (NatsServer nats = NatsServer.startJetStream()) {
      sharedBroker(List.of("--broker=nats", "--pubsub=nats", "--nats_servers=" + nats.url()), "NATS subject", () -> {
        nats.restart();
        return null;
      });
    }
  }

  /** Clustered nodes with --pubsub too: the bridge stays off, and every message arrives once. */
  @Test
  void aClusterWithPubSubDeliversEachMessageOnce() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String name = "pubsub-" + java.util.UUID.randomUUID();
      int[] hz = {FreePorts.next(), FreePorts.next()};
      int[] port = {FreePorts.next(), FreePorts.next()};
      int[] intake = {FreePorts.next(), FreePorts.next()};
      String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1];
      try (Nodes nodes = Nodes.start(
          () -> ServerProcess.launch(ClusterProcesses.cli(name, members, hz[0], port[0], "--public",
              "--http_broadcast_port=" + intake[0], "--pubsub=redis", "--redis_url=" + redis.url()), Map.of(), port[0]),
          () -> ServerProcess.launch(ClusterProcesses.cli(name, members, hz[1], port[1], "--public",
              "--http_broadcast_port=" + intake[1], "--pubsub=redis", "--redis_url=" + redis.url()), Map.of(), port[1]))) {
        ServerProcess a = nodes.a();
        ServerProcess b = nodes.b();
        for (ServerProcess p : new ServerProcess[] {a, b}) {
          assertThat(p.awaitLog("2 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
          assertThat(p.awaitLog("--pubsub=redis stays off", Duration.ofSeconds(10))).as(p.logTail()).isTrue();
        }
        runNodeTest(a, b, port, intake, Map.of("SHARED", "1"), "pubsub_nodes.test.mjs");
        assertThat(a.logContains("pub/sub bridge relaying")).isFalse();
      }
    }
  }

  /**
   * Phase 1 on two nodes; then two new nodes read what phase 1 left in the broker, and while they
   * take publications the service itself restarts (pubsub_faults.test.mjs says when its publishers
   * are under way): every acknowledged publication must be in the history.
   */
  private void sharedBroker(List<String> flags, String relay, java.util.concurrent.Callable<Void> restartService) {
    String stream = "kept-" + System.nanoTime();
    String first = twoNodes(flags, Map.of("SHARED", "1", "STREAM", stream), relay);
    Matcher epoch = Pattern.compile("\"epoch\":\"([^\"]+)\"").matcher(first);
    assertThat(epoch.find()).as(first).isTrue();
    List<String> all = new ArrayList<>(flags);
    all.add("--history_limit=2000");
    int[] port = {FreePorts.next(), FreePorts.next()};
    int[] intake = {FreePorts.next(), FreePorts.next()};
    java.util.concurrent.ScheduledExecutorService faults = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (Nodes nodes = Nodes.start(() -> node(port[0], intake[0], all, Map.of()), () -> node(port[1], intake[1], all, Map.of()))) {
      for (ServerProcess p : new ServerProcess[] {nodes.a(), nodes.b()}) {
        assertThat(p.awaitLog("pub/sub: connected to", Duration.ofSeconds(30))).as(p.logTail()).isTrue();
      }
      // Every node was stopped: the new ones read the history the broker kept.
      runNodeTest(nodes.a(), nodes.b(), port, intake,
          Map.of("SHARED", "1", "STREAM", stream, "PHASE", "restarted", "EPOCH", epoch.group(1)), "pubsub_nodes.test.mjs");
      // The service restarts once the publishers have had acknowledgements (the test's marker
      // file), not at a fixed time: a slow start of the test would otherwise meet the restart first.
      java.nio.file.Path marker = java.nio.file.Files.createTempDirectory("faults").resolve("publishing");
      var test = java.util.concurrent.CompletableFuture.supplyAsync(() -> runNodeTest(nodes.a(), nodes.b(), port, intake,
          Map.of("RESTART_MARKER", marker.toString()), "pubsub_faults.test.mjs"), faults);
      io.vxcable.testkit.Eventually.eventually(Duration.ofSeconds(60), Duration.ofMillis(20), () -> {
        assertThat(java.nio.file.Files.exists(marker) || test.isDone()).as("the publishers asked for the restart").isTrue();
        return null;
      });
      if (java.nio.file.Files.exists(marker)) {
        restartService.call();
      }
      String output = test.get(120, java.util.concurrent.TimeUnit.SECONDS);
      System.out.println(relay + " restart: " + output.lines().filter(l -> l.contains("\"acknowledged\"")).findFirst().orElse(""));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      faults.shutdownNow();
    }
  }

  /** Starts two nodes with {@code flags}, runs the Node test against them, and returns its output. */
  private String twoNodes(List<String> flags, Map<String, String> extraEnv, String relay) {
    return twoNodes(flags, extraEnv, relay, Map.of());
  }

  private String twoNodes(List<String> flags, Map<String, String> extraEnv, String relay, Map<String, String> serverEnv) {
    int[] port = {FreePorts.next(), FreePorts.next()};
    int[] intake = {FreePorts.next(), FreePorts.next()};
    try (Nodes nodes = Nodes.start(() -> node(port[0], intake[0], flags, serverEnv), () -> node(port[1], intake[1], flags, serverEnv))) {
      ServerProcess a = nodes.a();
      ServerProcess b = nodes.b();
      for (ServerProcess p : new ServerProcess[] {a, b}) {
        assertThat(p.awaitLog("pub/sub bridge relaying through " + relay, Duration.ofSeconds(30))).as(p.logTail()).isTrue();
        assertThat(p.awaitLog("pub/sub: connected to", Duration.ofSeconds(30))).as(p.logTail()).isTrue();
        if (extraEnv.containsKey("REDISX_PORT")) {
          // Entries added before a node's consumer group exists are not read by it.
          assertThat(p.awaitLog("redisx broadcast adapter: consuming", Duration.ofSeconds(30))).as(p.logTail()).isTrue();
        }
      }
      String output = runNodeTest(a, b, port, intake, extraEnv, "pubsub_nodes.test.mjs");
      assertThat(a.logContains("stays off")).as("unclustered: the bridge relays").isFalse();
      return output;
    }
  }

  private static String runNodeTest(ServerProcess a, ServerProcess b, int[] port, int[] intake, Map<String, String> extraEnv,
      String file) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("CABLE_URL_A", "ws://127.0.0.1:" + port[0] + "/cable");
    env.put("CABLE_URL_B", "ws://127.0.0.1:" + port[1] + "/cable");
    env.put("BROADCAST_URL_A", "http://127.0.0.1:" + intake[0] + "/_broadcast");
    env.put("BROADCAST_URL_B", "http://127.0.0.1:" + intake[1] + "/_broadcast");
    NodeRunner.Result r = NodeRunner.run(file, env, Duration.ofSeconds(120));
    assertThat(r.passed()).as(r.output() + "\n--- A ---\n" + a.logTail() + "\n--- B ---\n" + b.logTail()).isTrue();
    return r.output();
  }

  private static ServerProcess node(int port, int intake, List<String> flags, Map<String, String> env) {
    List<String> all = new ArrayList<>(List.of("--public", "--http_broadcast_port=" + intake, "--presence_ttl=5"));
    all.addAll(flags);
    return ServerProcess.start(port, all, env);
  }

  /** Two server processes started at the same time (each start waits for its health check). */
  record Nodes(ServerProcess a, ServerProcess b) implements AutoCloseable {

    static Nodes start(java.util.function.Supplier<ServerProcess> first, java.util.function.Supplier<ServerProcess> second) {
      java.util.concurrent.CompletableFuture<ServerProcess> other = java.util.concurrent.CompletableFuture.supplyAsync(second);
      ServerProcess a;
      try {
        a = first.get();
      } catch (RuntimeException e) {
        other.thenAccept(ServerProcess::close);
        throw e;
      }
      try {
        return new Nodes(a, other.join());
      } catch (RuntimeException e) {
        a.close();
        throw e;
      }
    }

    @Override
    public void close() {
      a.close();
      b.close();
    }
  }
}
