package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pusher compatibility on the packaged server: the published {@code pusher-js} client and the
 * official {@code pusher} server SDK ({@code src/test/js/pusher.test.mjs}) — public channels and
 * triggers, private channels and client events, presence members and the users API; with the API on
 * its own port; and across a cluster, the translator standing alone on one node. {@code laravel-echo}
 * ({@code src/test/js/laravel_echo.test.mjs}) with an HTTP auth endpoint, on one server and with one
 * member on each cluster node.
 */
class PusherIT {

  @Test
  void pusherJsAndTheServerSdkTalkToTheServer() {
    int port = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--pusher_app_id=my-test-id", "--pusher_app_key=detox",
        "--pusher_secret=oaugc1", "--broker=memory", "--norpc", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("pusher.test.mjs", Map.of("CABLE_PORT", String.valueOf(port)),
          Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass 3").contains("fail 0");
      NodeRunner.Result echo = NodeRunner.run("laravel_echo.test.mjs", Map.of("CABLE_PORT", String.valueOf(port)),
          Duration.ofSeconds(90));
      assertThat(echo.passed()).as(echo.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(echo.output()).contains("pass 3").contains("fail 0");
      assertThat(server.logTail()).contains("Handle Pusher WebSocket connections at http://")
          .contains("/app/detox").contains("Handle Pusher API requests at").contains(":" + port + "/apps/my-test-id/");
    }
  }

  /** {@code --pusher_api_port}: the server SDK talks to the API's own port (anycable-go's presence feature test). */
  @Test
  void theHttpApiOnItsOwnPort() {
    int port = FreePorts.next();
    int apiPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--pusher_app_id=my-test-id", "--pusher_app_key=detox",
        "--pusher_secret=oaugc1", "--broker=memory", "--norpc", "--pusher_api_port=" + apiPort,
        "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      NodeRunner.Result r = NodeRunner.run("pusher.test.mjs", Map.of("CABLE_PORT", String.valueOf(port),
          "PUSHER_API_PORT", String.valueOf(apiPort)), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- server log ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass 3").contains("fail 0");
      assertThat(server.logTail()).contains("Handle Pusher WebSocket connections at http://")
          .contains(":" + apiPort + "/apps/my-test-id/");
    }
  }

  /**
   * Node A runs only the translator ({@code scripts/vertx run pusher}); node B is the full server
   * (broadcast intake with the Pusher API, presence over Hazelcast). Clients on A are triggered
   * through B's API and see each other's presence across the cluster bus.
   */
  @Test
  void standaloneTranslatorBesideAClusteredServer() {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    int hzA = FreePorts.next();
    int hzB = FreePorts.next();
    String name = "e2e-pusher-" + UUID.randomUUID();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    List<String> nodeB = List.of(OcppIT.script("anycable"), "--host=127.0.0.1", "--port=" + portB, "--norpc",
        "--pusher_app_id=my-test-id", "--pusher_app_key=detox", "--pusher_secret=oaugc1", "--broker=hazelcast",
        "--http_broadcast_port=" + FreePorts.next(), "--cluster", "--cluster_name=" + name,
        "--cluster_members=" + members, "--cluster_port=" + hzB, "--cluster_host=127.0.0.1");
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + portA + ",\"pusher_app_id\":\"my-test-id\","
        + "\"pusher_app_key\":\"detox\",\"pusher_secret\":\"oaugc1\"}";
    List<String> nodeA = List.of(OcppIT.script("vertx"), "run", "pusher", "-conf", conf, "-cluster", "-cluster-host", "127.0.0.1");
    Map<String, String> envA = env();
    envA.putAll(Map.of("ANYCABLE_CLUSTER_NAME", name, "ANYCABLE_CLUSTER_MEMBERS", members,
        "ANYCABLE_CLUSTER_PORT", String.valueOf(hzA), "ANYCABLE_CLUSTER_HOST", "127.0.0.1"));
    try (ServerProcess b = ServerProcess.launch(nodeB, env(), portB);
         ServerProcess a = ServerProcess.launch(nodeA, envA, portA)) {
      assertThat(a.awaitLog("translator pusher listening on 127.0.0.1:" + portA + "/app/detox", Duration.ofSeconds(30)))
          .as(a.logTail()).isTrue();
      NodeRunner.Result r = NodeRunner.run("pusher.test.mjs", Map.of("CABLE_PORT", String.valueOf(portA),
          "PUSHER_API_PORT", String.valueOf(portB)), Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- node A ---\n" + a.logTail() + "\n--- node B ---\n" + b.logTail())
          .isTrue();
      assertThat(r.output()).contains("pass 3").contains("fail 0");
      // Laravel Echo, one member on each node: presence, whispers and toOthers() across the cluster.
      NodeRunner.Result echo = NodeRunner.run("laravel_echo.test.mjs", Map.of("CABLE_PORT", String.valueOf(portA),
          "CABLE_PORT_2", String.valueOf(portB), "PUSHER_API_PORT", String.valueOf(portB)), Duration.ofSeconds(120));
      assertThat(echo.passed()).as(echo.output() + "\n--- node A ---\n" + a.logTail() + "\n--- node B ---\n" + b.logTail())
          .isTrue();
      assertThat(echo.output()).contains("pass 3").contains("fail 0");
    }
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Xmx256m");
    env.put("VXCABLE_CLASSPATH", "");
    return env;
  }
}
