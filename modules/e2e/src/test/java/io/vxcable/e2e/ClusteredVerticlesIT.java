package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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

  static final String OPENS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED "
      + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
      + "--add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";

  @Test
  void independentlyDeployedVerticlesTalkOverTheClusteredBus() throws Exception {
    int wsPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    Path clusterXml = clusterConfig(FreePorts.next(), FreePorts.next());
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + wsPort + ",\"public\":true,\"http_broadcast_port\":" + broadcastPort + "}";
    try (ServerProcess gateway = ServerProcess.launch(vertxRun(clusterXml, "gateway", conf), Map.of(), wsPort);
         ServerProcess intake = ServerProcess.launch(vertxRun(clusterXml, "broadcast", conf, "-instances", "2"), Map.of(), 0)) {
      assertThat(intake.awaitLog("broadcast intake listening", Duration.ofSeconds(60))).as(intake.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("cluster.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(wsPort),
          "CABLE_URL", "ws://127.0.0.1:" + wsPort + "/cable",
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast"), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- gateway ---\n" + gateway.logTail() + "\n--- intake ---\n" + intake.logTail())
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
    Path clusterXml = clusterConfig(FreePorts.next(), FreePorts.next());
    try (ServerProcess a = ServerProcess.launch(cli(clusterXml, portA, broadcastA), Map.of(), portA);
         ServerProcess b = ServerProcess.launch(cli(clusterXml, portB, broadcastB), Map.of(), portB)) {
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
      assertThat(b.awaitLog("hazelcast broker, epoch", Duration.ofSeconds(1))).isTrue();
    }
  }

  private static List<String> cli(Path clusterXml, int port, int broadcastPort) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.add("-Dvertx.hazelcast.config=" + clusterXml);
    cmd.addAll(List.of("-jar", ServerProcess.jar().toString(), "--host=127.0.0.1", "--port=" + port, "--public",
        "--broker=hazelcast", "--http_broadcast_port=" + broadcastPort));
    return cmd;
  }

  private static List<String> vertxRun(Path clusterXml, String verticle, String conf, String... more) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.add("-Dvertx.hazelcast.config=" + clusterXml);
    cmd.addAll(List.of("-cp", ServerProcess.jar().toString(), "io.vxcable.launcher.VertxLauncher",
        "run", verticle, "-conf", conf, "-cluster", "-cluster-host", "127.0.0.1"));
    cmd.addAll(List.of(more));
    return cmd;
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
