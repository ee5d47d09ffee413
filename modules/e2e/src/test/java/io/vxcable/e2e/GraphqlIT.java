package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Apollo GraphQL on the packaged server ({@code --graphql_path=/graphql}): the published
 * {@code graphql-ws} and {@code subscriptions-transport-ws} clients, a {@code GraphqlChannel}
 * application over HTTP RPC ({@code src/test/js/graphql.test.mjs}); once mounted on the main port,
 * once standalone ({@code scripts/vertx run graphql -cluster}) beside a clustered server that has
 * the application and the broadcast intake.
 */
class GraphqlIT {

  private static final int TESTS = 5;

  @Test
  void apolloClientsRunOperationsThroughTheMountedTranslator() {
    int port = FreePorts.next();
    int appPort = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--graphql_path=/graphql",
        "--rpc_host=http://127.0.0.1:" + appPort, "--http_broadcast_port=" + broadcastPort), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("graphql.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(port),
          "RPC_PORT", String.valueOf(appPort),
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastPort + "/_broadcast"), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass " + TESTS).contains("fail 0");
      assertThat(server.logTail()).contains("translator graphql mounted on /graphql");
    }
  }

  /**
   * Node A runs only the translator ({@code scripts/vertx run graphql}); node B is the full server
   * with the RPC bridge and the broadcast intake, and no GraphQL path. Clients on A reach the
   * application and B's broadcasts over the clustered bus.
   */
  @Test
  void standaloneBesideAClusteredServer() {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    int appPort = FreePorts.next();
    int broadcastB = FreePorts.next();
    int hzA = FreePorts.next();
    int hzB = FreePorts.next();
    String name = "e2e-graphql-" + UUID.randomUUID();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    List<String> nodeB = List.of(script("anycable"), "--host=127.0.0.1", "--port=" + portB,
        "--rpc_host=http://127.0.0.1:" + appPort, "--http_broadcast_port=" + broadcastB, "--cluster",
        "--cluster_name=" + name, "--cluster_members=" + members, "--cluster_port=" + hzB, "--cluster_host=127.0.0.1");
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + portA + ",\"graphql_path\":\"/graphql\"}";
    List<String> nodeA = List.of(script("vertx"), "run", "graphql", "-conf", conf, "-cluster", "-cluster-host", "127.0.0.1");
    Map<String, String> envA = scriptEnv();
    envA.putAll(Map.of("ANYCABLE_CLUSTER_NAME", name, "ANYCABLE_CLUSTER_MEMBERS", members,
        "ANYCABLE_CLUSTER_PORT", String.valueOf(hzA), "ANYCABLE_CLUSTER_HOST", "127.0.0.1"));
    try (ServerProcess b = ServerProcess.launch(nodeB, scriptEnv(), portB);
         ServerProcess a = ServerProcess.launch(nodeA, envA, portA)) {
      assertThat(a.awaitLog("translator graphql listening on 127.0.0.1:" + portA + "/graphql", Duration.ofSeconds(20)))
          .as(a.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("graphql.test.mjs", Map.of(
          "CABLE_PORT", String.valueOf(portA),
          "RPC_PORT", String.valueOf(appPort),
          "BROADCAST_URL", "http://127.0.0.1:" + broadcastB + "/_broadcast"), Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- node A ---\n" + a.logTail() + "\n--- node B ---\n" + b.logTail())
          .isTrue();
      assertThat(r.output()).contains("pass " + TESTS).contains("fail 0");
    }
  }

  static String script(String name) {
    return Path.of(System.getProperty("vxcable.scripts", "../../scripts"), name).toAbsolutePath().normalize().toString();
  }

  private static Map<String, String> scriptEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Xmx256m");
    env.put("VXCABLE_CLASSPATH", "");
    return env;
  }
}
