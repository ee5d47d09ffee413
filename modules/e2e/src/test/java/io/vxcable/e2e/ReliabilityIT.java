package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: what a cluster does when a node dies with {@code kill -9}, with every node running
 * every verticle (the shape most deployments take) and with split roles. Publications keep being
 * accepted within a second and every accepted one is delivered (docs/reliability.md).
 */
class ReliabilityIT {

  static final String SECRET = "qwerty";

  /** The figures line of a Node test, for the report (docs/reliability.md quotes them). */
  static void report(String label, NodeRunner.Result r) {
    r.output().lines().filter(l -> l.contains("\"publications\"") || l.contains("\"clients\"")).findFirst()
        .ifPresent(line -> System.out.println(label + ": " + line.trim()));
  }

  /** Three drop-in CLI processes; node A dies; publications go to B's main port, subscribers sit on C. */
  @Test
  void aSymmetricClusterKeepsPublishingWhenANodeIsKilled() {
    String name = "rel-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    int[] port = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    // A secret: broadcasts share the main port (forwarded to the intake over the bus) and need the key.
    String[] flags = {"--secret=" + SECRET, "--noauth", "--public_streams", "--norpc", "--presence_ttl=5"};
    try (ServerProcess a = ServerProcess.launch(ClusterProcesses.cli(name, members, hz[0], port[0], flags), Map.of(), port[0]);
         ServerProcess b = ServerProcess.launch(ClusterProcesses.cli(name, members, hz[1], port[1], flags), Map.of(), port[1]);
         ServerProcess c = ServerProcess.launch(ClusterProcesses.cli(name, members, hz[2], port[2], flags), Map.of(), port[2])) {
      for (ServerProcess p : new ServerProcess[] {a, b, c}) {
        assertThat(p.awaitLog("3 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
      }
      NodeRunner.Result r = NodeRunner.run("reliability/node_death.test.mjs", Map.of(
          "PUBLISH_URL", "http://127.0.0.1:" + port[1] + "/_broadcast",
          "BROADCAST_KEY", BlackBoxIT.DERIVED_BROADCAST_KEY,
          "CABLE_URL", "ws://127.0.0.1:" + port[2] + "/cable",
          "KILL_PID", String.valueOf(a.pid())), Duration.ofSeconds(90));
      report("symmetric", r);
      assertThat(r.passed()).as(r.output() + "\n--- B ---\n" + b.logTail() + "\n--- C ---\n" + c.logTail()).isTrue();
      assertThat(a.isAlive()).isFalse();
    }
  }

  /**
   * Many extended-protocol sessions restored together while broadcasts flow: a proxy cuts every
   * connection three times; every client ends with every message once, in order.
   */
  @Test
  void sessionsRestoredTogetherMissNothing() {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, java.util.List.of("--public", "--broker=memory",
        "--http_broadcast_port=" + broadcastPort), Map.of())) {
      Map<String, String> env = NodeEnv.of(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", SECRET);
      NodeRunner.Result r = NodeRunner.run("reliability/restore_gap.test.mjs", env, Duration.ofSeconds(120));
      report("restores", r);
      assertThat(r.passed()).as(r.output() + "\n--- server ---\n" + server.logTail()).isTrue();
    }
  }

  /**
   * Split roles: two state nodes (broker, presence, intake; {@code vertx run bundle}) and a gateway.
   * State node S1 dies; publications go to S2's intake, the subscribers sit on the gateway.
   */
  @Test
  void splitRolesKeepPublishingWhenAStateNodeIsKilled() {
    String name = "rel-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    int intake1 = FreePorts.next();
    int intake2 = FreePorts.next();
    int gatewayPort = FreePorts.next();
    String common = "\"host\":\"127.0.0.1\",\"public\":true,\"broker\":\"hazelcast\",\"presence_ttl\":5";
    String state1 = "{" + common + ",\"port\":" + FreePorts.next() + ",\"http_broadcast_port\":" + intake1
        + ",\"verticles\":[\"broker\",\"presence\",\"broadcast\"]}";
    String state2 = "{" + common + ",\"port\":" + FreePorts.next() + ",\"http_broadcast_port\":" + intake2
        + ",\"verticles\":[\"broker\",\"presence\",\"broadcast\"]}";
    String gateway = "{" + common + ",\"port\":" + gatewayPort + "}";
    try (ServerProcess s1 = ServerProcess.launch(ClusterProcesses.vertxRun(null, "bundle", state1),
            ClusterProcesses.clusterEnv(name, members, hz[0]), 0);
         ServerProcess s2 = ServerProcess.launch(ClusterProcesses.vertxRun(null, "bundle", state2),
            ClusterProcesses.clusterEnv(name, members, hz[1]), 0);
         ServerProcess g = ServerProcess.launch(ClusterProcesses.vertxRun(null, "gateway", gateway),
            ClusterProcesses.clusterEnv(name, members, hz[2]), gatewayPort)) {
      assertThat(s1.awaitLog("2 broker node(s)", Duration.ofSeconds(90))).as(s1.logTail()).isTrue();
      assertThat(s2.awaitLog("2 broker node(s)", Duration.ofSeconds(90))).as(s2.logTail()).isTrue();
      assertThat(s2.awaitLog("broadcast intake listening", Duration.ofSeconds(30))).as(s2.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("reliability/node_death.test.mjs", Map.of(
          "PUBLISH_URL", "http://127.0.0.1:" + intake2 + "/_broadcast",
          "CABLE_URL", "ws://127.0.0.1:" + gatewayPort + "/cable",
          "KILL_PID", String.valueOf(s1.pid())), Duration.ofSeconds(90));
      report("split roles", r);
      assertThat(r.passed()).as(r.output() + "\n--- S2 ---\n" + s2.logTail() + "\n--- gateway ---\n" + g.logTail()).isTrue();
    }
  }
}
