package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * examples/custom-protocol (a plain JSON pub/sub protocol written against the translator SPI) run
 * both ways a user runs it, through the launch scripts with {@code VXCABLE_CLASSPATH}: mounted on
 * the main port of {@code scripts/anycable}, and standalone with {@code scripts/vertx run
 * <its verticle> -cluster} beside a clustered {@code scripts/anycable}.
 */
class CustomProtocolIT {

  static final String VERTICLE = "io.vxcable.examples.pubsub.PubSubVerticle";

  /** The example's plain jar (set by the build). */
  static Path exampleJar() {
    Path jar = Path.of(System.getProperty("vxcable.pubsub.jar", "../../examples/custom-protocol/target/custom-protocol.jar"))
        .toAbsolutePath().normalize();
    assertThat(jar).as("the example jar is packaged").isRegularFile();
    return jar;
  }

  static String script(String name) {
    return Path.of(System.getProperty("vxcable.scripts", "../../scripts"), name).toAbsolutePath().normalize().toString();
  }

  @Test
  void mountedOnTheMainPortBesideActionCable() throws Exception {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    List<String> cmd = List.of(script("anycable"), "--host=127.0.0.1", "--port=" + port, "--public",
        "--http_broadcast_port=" + broadcastPort, "--max_subscriptions_per_connection=2");
    try (ServerProcess server = ServerProcess.launch(cmd, scriptEnv(true), port)) {
      assertThat(server.logContains("translator pubsub mounted on /pubsub")).as(server.logTail()).isTrue();
      assertThat(httpStatus(port, "/pubsub")).as("a plain GET on the translator's path: not an upgrade").isEqualTo(400);
      Map<String, String> env = NodeEnv.of(server, "http://127.0.0.1:" + broadcastPort + "/_broadcast", "", "");
      env.put("PUBSUB_URL", "ws://127.0.0.1:" + port + "/pubsub");
      NodeRunner.Result r = NodeRunner.run("custom/mounted.test.mjs", env, Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- server ---\n" + server.logTail()).isTrue();
      assertThat(r.output()).contains("pass 5").contains("fail 0");
    }
  }

  /** Without the variable, scripts/anycable runs {@code java -jar} as before and mounts nothing. */
  @Test
  void withoutTheClassPathTheScriptRunsTheJarAndMountsNoTranslator() throws Exception {
    int port = FreePorts.next();
    List<String> cmd = List.of(script("anycable"), "--host=127.0.0.1", "--port=" + port, "--public",
        "--http_broadcast_port=" + FreePorts.next());
    try (ServerProcess server = ServerProcess.launch(cmd, scriptEnv(false), port)) {
      List<String> args = List.of(ProcessHandle.of(server.pid()).orElseThrow().info().arguments().orElseThrow());
      assertThat(args).contains("-jar").doesNotContain("-cp");
      assertThat(httpStatus(port, "/pubsub")).isEqualTo(404);
      assertThat(server.logContains("translator")).as(server.logTail()).isFalse();
    }
  }

  /**
   * Node A runs only the translator verticle ({@code "pubsub_path":"/rooms"}); node B is the full
   * server with the broadcast intake and no translator. They share one private Hazelcast cluster.
   */
  @Test
  void standaloneInATwoNodeCluster() throws Exception {
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    int broadcastB = FreePorts.next();
    int hzA = FreePorts.next();
    int hzB = FreePorts.next();
    String name = "e2e-" + UUID.randomUUID();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    List<String> nodeB = List.of(script("anycable"), "--host=127.0.0.1", "--port=" + portB, "--public",
        "--http_broadcast_port=" + broadcastB, "--cluster", "--cluster_name=" + name, "--cluster_members=" + members,
        "--cluster_port=" + hzB, "--cluster_host=127.0.0.1");
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + portA + ",\"pubsub_path\":\"/rooms\",\"public\":true}";
    List<String> nodeA = List.of(script("vertx"), "run", VERTICLE, "-conf", conf, "-cluster", "-cluster-host", "127.0.0.1");
    Map<String, String> envA = scriptEnv(true);
    envA.putAll(Map.of("ANYCABLE_CLUSTER_NAME", name, "ANYCABLE_CLUSTER_MEMBERS", members,
        "ANYCABLE_CLUSTER_PORT", String.valueOf(hzA), "ANYCABLE_CLUSTER_HOST", "127.0.0.1"));
    try (ServerProcess b = ServerProcess.launch(nodeB, scriptEnv(false), portB);
         ServerProcess a = ServerProcess.launch(nodeA, envA, portA)) {
      assertThat(a.awaitLog("translator pubsub listening on 127.0.0.1:" + portA + "/rooms", Duration.ofSeconds(10)))
          .as(a.logTail()).isTrue();
      assertThat(httpStatus(portA, "/cable")).as("node A serves no Action Cable path").isEqualTo(404);
      assertThat(httpStatus(portB, "/rooms")).as("node B mounts no translator").isEqualTo(404);
      Map<String, String> env = NodeEnv.of(b, "http://127.0.0.1:" + broadcastB + "/_broadcast", "", "");
      env.put("PUBSUB_URL", "ws://127.0.0.1:" + portA + "/rooms");
      NodeRunner.Result r = NodeRunner.run("custom/cluster.test.mjs", env, Duration.ofSeconds(120));
      assertThat(r.passed()).as(r.output() + "\n--- node A ---\n" + a.logTail() + "\n--- node B ---\n" + b.logTail())
          .isTrue();
      assertThat(r.output()).contains("pass 2").contains("fail 0");
      assertThat(b.logContains("Joined the Hazelcast cluster")).as(b.logTail()).isTrue();
    }
  }

  /** The scripts' environment: a small heap, and the example's jar on VXCABLE_CLASSPATH when asked. */
  private static Map<String, String> scriptEnv(boolean withExample) {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Xmx256m");
    env.put("VXCABLE_CLASSPATH", withExample ? exampleJar().toString() : "");
    return env;
  }

  private static int httpStatus(int port, String path) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
