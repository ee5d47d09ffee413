package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code vertx run <verticle> -conf <json> -cluster} as users run it: the gateway and the broadcast
 * intake (two instances) in two JVMs, joined by Hazelcast on loopback with a private cluster name.
 */
class ClusteredVerticlesIT {


  @Test
  void independentlyDeployedVerticlesTalkOverTheClusteredBus() throws Exception {
    int wsPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    Path clusterXml = clusterConfig(FreePorts.next(), FreePorts.next());
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + wsPort + ",\"public\":true,\"http_broadcast_port\":" + broadcastPort + "}";
    try (ServerProcess gateway = ServerProcess.launch(ClusterProcesses.vertxRun(clusterXml, "gateway", conf), Map.of(), wsPort);
         ServerProcess intake = ServerProcess.launch(ClusterProcesses.vertxRun(clusterXml, "broadcast", conf, "-instances", "2"), Map.of(), 0)) {
      assertThat(intake.awaitLog("broadcast intake listening", Duration.ofSeconds(60))).as(intake.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("cluster.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(wsPort),
          "CABLE_URL", "ws://127.0.0.1:" + wsPort + "/cable",
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast"), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- gateway ---\n" + gateway.logTail() + "\n--- intake ---\n" + intake.logTail())
          .isTrue();
    }
  }

  /** The RPC bridge as a process of its own: the gateway process reaches the application through it. */
  @Test
  void theRpcBridgeRunsInItsOwnProcess() throws Exception {
    int wsPort = FreePorts.next();
    int appPort = FreePorts.next();
    int[] hz = {FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1];
    String name = "e2e-" + UUID.randomUUID();
    String gatewayConf = "{\"host\":\"127.0.0.1\",\"port\":" + wsPort + ",\"disconnect_mode\":\"always\"}";
    String rpcConf = "{\"rpc_host\":\"127.0.0.1:" + appPort + "\"}";
    try (ServerProcess rpc = ServerProcess.launch(ClusterProcesses.vertxRun(null, "rpc", rpcConf), ClusterProcesses.clusterEnv(name, members, hz[0]), 0);
         ServerProcess gateway = ServerProcess.launch(ClusterProcesses.vertxRun(null, "gateway", gatewayConf), ClusterProcesses.clusterEnv(name, members, hz[1]),
             wsPort)) {
      assertThat(rpc.awaitLog("RPC bridge", Duration.ofSeconds(90))).as(rpc.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("rpc_cluster.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(wsPort), "CABLE_URL", "ws://127.0.0.1:" + wsPort + "/cable",
          "RPC_PORT", String.valueOf(appPort)), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- gateway ---\n" + gateway.logTail() + "\n--- rpc ---\n" + rpc.logTail())
          .isTrue();
    }
  }

  /**
   * The drop-in CLI twice with {@code --broker=hazelcast}: two processes form one cluster and share
   * history, epoch and sessions; a client is moved between them on every reconnect.
   */
  @Test
  void reliableStreamsFollowAClientFromNodeToNode() throws Exception {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    int broadcastA = FreePorts.next();
    int broadcastB = FreePorts.next();
    int hzA = FreePorts.next();
    int hzB = FreePorts.next();
    String name = "e2e-" + UUID.randomUUID();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    // The cluster is set by the CLI flags (no XML file): name, members, first port.
    try (ServerProcess a = ServerProcess.launch(ClusterProcesses.cli(name, members, hzA, portA, "--public",
            "--http_broadcast_port=" + broadcastA), Map.of(), portA);
         ServerProcess b = ServerProcess.launch(ClusterProcesses.cli(name, members, hzB, portB, "--public",
            "--http_broadcast_port=" + broadcastB), Map.of(), portB)) {
      assertThat(a.awaitLog("broker shards", Duration.ofSeconds(60))).as(a.logTail()).isTrue();
      assertThat(b.awaitLog("broker shards", Duration.ofSeconds(60))).as(b.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("broker_cluster.test.mjs", Map.of(
          "CABLE_PORT_A", String.valueOf(portA),
          "CABLE_URL_A", "ws://127.0.0.1:" + portA + "/cable",
          "BROADCAST_URL_A", "http://127.0.0.1:" + broadcastA + "/_broadcast",
          "CABLE_PORT_B", String.valueOf(portB),
          "CABLE_URL_B", "ws://127.0.0.1:" + portB + "/cable",
          "BROADCAST_URL_B", "http://127.0.0.1:" + broadcastB + "/_broadcast"), Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- node A ---\n" + a.logTail() + "\n--- node B ---\n" + b.logTail())
          .isTrue();
      assertThat(a.awaitLog("Joined the Hazelcast cluster", Duration.ofSeconds(1))).isTrue();
      assertThat(a.awaitLog("Joining the Hazelcast cluster " + name, Duration.ofSeconds(1))).as(a.logTail()).isTrue();
      assertThat(b.awaitLog("hazelcast broker, epoch", Duration.ofSeconds(1))).isTrue();
    }
  }

  /**
   * docs/cluster.md's layout as three processes: gateways A and B ({@code vertx run gateway
   * -cluster}) and a state node ({@code vertx run bundle} with broker, presence and broadcast,
   * {@code --broker=hazelcast}), joined through the {@code ANYCABLE_CLUSTER_*} variables. Gateway A
   * is killed with SIGKILL mid-traffic by the Node test.
   */
  @Test
  void threeNodeLayoutSurvivesTheLossOfAGateway() throws Exception {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    int broadcastPort = FreePorts.next();
    int portC = FreePorts.next();
    int[] hz = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2] + ",127.0.0.1:" + hz[3];
    String name = "e2e-" + UUID.randomUUID();
    String common = "\"host\":\"127.0.0.1\",\"public\":true,\"broker\":\"hazelcast\",\"presence_ttl\":3,"
        + "\"http_broadcast_port\":" + broadcastPort;
    String state = "{" + common + ",\"port\":" + FreePorts.next() + ",\"verticles\":[\"broker\",\"presence\",\"broadcast\"]}";
    try (ServerProcess c = ServerProcess.launch(ClusterProcesses.vertxRun(null, "bundle", state), ClusterProcesses.clusterEnv(name, members, hz[0]), 0);
         ServerProcess a = ServerProcess.launch(ClusterProcesses.vertxRun(null, "gateway", "{" + common + ",\"port\":" + portA + "}"),
             ClusterProcesses.clusterEnv(name, members, hz[1]), portA);
         ServerProcess b = ServerProcess.launch(ClusterProcesses.vertxRun(null, "gateway", "{" + common + ",\"port\":" + portB + "}"),
             ClusterProcesses.clusterEnv(name, members, hz[2]), portB)) {
      assertThat(c.awaitLog("broker shards", Duration.ofSeconds(90))).as(c.logTail()).isTrue();
      assertThat(c.awaitLog("broadcast intake listening", Duration.ofSeconds(30))).as(c.logTail()).isTrue();
      Map<String, String> env = new java.util.HashMap<>(Map.of(
          "CABLE_PORT_A", String.valueOf(portA), "CABLE_URL_A", "ws://127.0.0.1:" + portA + "/cable",
          "CABLE_PORT_B", String.valueOf(portB), "CABLE_URL_B", "ws://127.0.0.1:" + portB + "/cable",
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "SERVER_PID_A", String.valueOf(a.pid()), "SERVER_PID_B", String.valueOf(b.pid()), "PRESENCE_TTL", "3"));
      // Gateway C is started by the Node test itself, while the cluster runs.
      env.putAll(Map.of("CABLE_PORT_C", String.valueOf(portC), "CLUSTER_PORT_C", String.valueOf(hz[3]),
          "GATEWAY_C_COMMAND", new io.vertx.core.json.JsonArray(ClusterProcesses.vertxRun(null, "gateway", "{" + common + ",\"port\":" + portC + "}"))
              .encode(),
          "ANYCABLE_CLUSTER_NAME", name, "ANYCABLE_CLUSTER_MEMBERS", members, "ANYCABLE_CLUSTER_HOST", "127.0.0.1"));
      NodeRunner.Result r = NodeRunner.run("cluster_layout.test.mjs", env, Duration.ofSeconds(200));
      assertThat(r.passed()).as(r.output() + "\n--- A ---\n" + a.logTail() + "\n--- B ---\n" + b.logTail()
          + "\n--- state node ---\n" + c.logTail()).isTrue();
      assertThat(r.output()).contains("pass 5").contains("fail 0");
      assertThat(a.isAlive()).as("gateway A was killed by the test").isFalse();
      // vertx run closes Vert.x in its shutdown hook and the JVM reports the signal (128 + 15).
      assertThat(b.awaitExit(Duration.ofSeconds(30))).as("gateway B stopped on SIGTERM").isIn(0, 143);
      assertThat(c.isAlive()).isTrue();
      // The bus registry stays bounded however many streams there are: 1,000 streams on a gateway
      // (one instance) add at most one registration per broadcast shard. Gateway D joins for it.
      int portD = FreePorts.next();
      try (ServerProcess d = ServerProcess.launch(ClusterProcesses.vertxRun(null, "gateway", "{" + common + ",\"port\":" + portD + "}"),
          ClusterProcesses.clusterEnv(name, members, hz[3]), portD)) {
        assertThat(d.isAlive()).isTrue();
        JsonObject registry = bench("registry", "--url", "ws://127.0.0.1:" + portD + "/cable", "--clients", "20",
            "--streams-per-client", "50", "--cluster-name", name, "--cluster-members", members,
            "--cluster-port", String.valueOf(FreePorts.next()));
        assertThat(registry.getLong("streams")).isEqualTo(1000L);
        assertThat(registry.getInteger("registry_entries_after"))
            .isLessThanOrEqualTo(registry.getInteger("registry_entries_before") + 32);
      }
    }
  }

  private static JsonObject bench(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of("-jar", Path.of(System.getProperty("vxcable.bench.jar", "../bench/target/vxcable-bench.jar"))
        .toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).as("the bench finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String[] lines = out.split("\n");
    return new JsonObject(lines[lines.length - 1]);
  }

  /** conf/cluster.xml with a private cluster name and two known member ports. */
  private static Path clusterConfig(int portA, int portB) throws Exception {
    String xml = Files.readString(Path.of("../../conf/cluster.xml"))
        .replace("<cluster-name>vxcable</cluster-name>", "<cluster-name>e2e-" + UUID.randomUUID() + "</cluster-name>")
        .replace("<port auto-increment=\"true\" port-count=\"20\">5701</port>",
            "<port auto-increment=\"true\" port-count=\"2\">" + portA + "</port>")
        .replace("<member>127.0.0.1</member>", "<member>127.0.0.1:" + portA + "</member><member>127.0.0.1:" + portB + "</member>");
    assertThat(xml).contains("e2e-").contains(":" + portB);
    Path file = Files.createTempFile(Files.createDirectories(Path.of("target")), "cluster-", ".xml");
    Files.writeString(file, xml);
    return file;
  }
}
