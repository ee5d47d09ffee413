package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load generator against the packaged server, at a size that only checks it works: every
 * client connects and subscribes, every broadcast reaches every client, memory is read. No timing
 * is asserted (figures come from docs/benchmarks.md runs, not from tests).
 */
class BenchToolIT {

  @Test
  void everyModeRunsAgainstTheServerAndAccountsForEveryMessage() throws Exception {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--broker=memory", "--http_broadcast_port=" + broadcastPort), Map.of())) {
      String url = "ws://127.0.0.1:" + port + "/cable";
      JsonObject fanout = bench("fanout", "--url", url, "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "--clients", "50", "--broadcasts", "20", "--rate", "40", "--warmup", "5", "--settle-ms", "200");
      assertThat(fanout.getInteger("connected")).isEqualTo(50);
      assertThat(fanout.getLong("expected")).isEqualTo(50L * 20);
      assertThat(fanout.getLong("delivered")).isEqualTo(50L * 20);
      assertThat(fanout.getJsonObject("latency_ms").getDouble("max")).isPositive();
      assertThat(fanout.getString("client")).isEqualTo("raw");
      assertThat(fanout.getInteger("closed_by_server")).isZero();
      // Vert.x's WebSocket client, and the lean one reading on two threads with the machine's time counted.
      JsonObject library = bench("fanout", "--url", url, "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "--client", "vertx", "--clients", "30", "--broadcasts", "10", "--rate", "40", "--warmup", "2", "--settle-ms", "200");
      assertThat(library.getLong("delivered")).as(library.encode()).isEqualTo(30L * 10);
      JsonObject twoReaders = bench("fanout", "--url", url, "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "--client-threads", "2", "--clients", "41", "--broadcasts", "10", "--rate", "40", "--warmup", "2", "--settle-ms", "200",
          "--pid", String.valueOf(server.pid()));
      assertThat(twoReaders.getLong("delivered")).as(twoReaders.encode()).isEqualTo(41L * 10);
      assertThat(twoReaders.getJsonObject("cpu").getDouble("server_s")).isNotNull();
      assertThat(twoReaders.getJsonObject("cpu").getDouble("client_s")).isNotNull();

      JsonObject idle = bench("idle", "--url", url, "--clients", "200", "--pid", String.valueOf(server.pid()), "--jvm", "true",
          "--settle-seconds", "1");
      assertThat(idle.getInteger("connected")).isEqualTo(200);
      assertThat(idle.getLong("rss_after_kb")).isPositive();
      assertThat(idle.getLong("heap_after_kb")).isPositive();

      JsonObject connect = bench("connect", "--url", url, "--clients", "100", "--warmup", "20", "--pid", String.valueOf(server.pid()));
      assertThat(connect.getString("client")).isEqualTo("raw");
      assertThat(connect.getInteger("connected")).as(connect.encode()).isEqualTo(100);
      assertThat(connect.getLong("connects_per_s")).isPositive();
      assertThat(connect.getJsonObject("cpu").getDouble("client_s")).isNotNull();
      assertThat(connect.getJsonObject("cpu").getDouble("server_s")).isNotNull();
      assertThat(connect.getJsonObject("connect_ms").getDouble("p99")).isPositive();
      JsonObject upgrades = bench("connect", "--url", url, "--protocol", "ws", "--clients", "60", "--warmup", "0", "--client-threads", "2");
      assertThat(upgrades.getInteger("connected")).as(upgrades.encode()).isEqualTo(60);
      JsonObject vertxConnects = bench("connect", "--url", url, "--client", "vertx", "--clients", "50", "--warmup", "10");
      assertThat(vertxConnects.getInteger("connected")).as(vertxConnects.encode()).isEqualTo(50);
      // The lean client counts what the server did not upgrade as failed, not as connected.
      JsonObject refused = bench("connect", "--url", "ws://127.0.0.1:" + port + "/not-a-cable", "--clients", "20", "--warmup", "0");
      assertThat(refused.getInteger("connected")).isZero();
      assertThat(refused.getInteger("failed")).isEqualTo(20);
      // A listener that never answers (connections wait in its backlog): failed after the timeout, not a hang.
      try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
        JsonObject unanswered = bench("connect", "--url", "ws://127.0.0.1:" + silent.getLocalPort() + "/cable", "--clients", "5",
            "--warmup", "0", "--timeout-ms", "1000");
        assertThat(unanswered.getInteger("connected")).isZero();
        assertThat(unanswered.getInteger("failed")).isEqualTo(5);
      }
      // Clients cut off again and again: extended-protocol ones resume and get every message.
      JsonObject drops = bench("drops", "--url", url, "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "--protocol", "actioncable-ext", "--clients", "10", "--broadcasts", "30", "--rate", "10", "--cut-every-ms", "1000",
          "--cut-ms", "500");
      assertThat(drops.getInteger("subscribed")).isEqualTo(10);
      assertThat(drops.getInteger("reconnects")).isPositive();
      assertThat(drops.getInteger("restored_sessions")).isPositive();
      assertThat(drops.getDouble("delivered_ratio")).as(drops.encode()).isEqualTo(1.0);
      // A short soak: memory sampled while visitors come and go, every broadcast delivered.
      JsonObject soak = bench("soak", "--url", url, "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast",
          "--clients", "20", "--rate", "10", "--duration-s", "6", "--warmup-s", "2", "--sample-s", "2", "--churn-per-s", "3",
          "--pid", String.valueOf(server.pid()), "--jvm", "true");
      assertThat(soak.getJsonArray("samples")).hasSize(3);
      assertThat(soak.getLong("broadcasts")).isEqualTo(60L);
      assertThat(soak.getDouble("delivered_ratio")).as(soak.encode()).isEqualTo(1.0);
      assertThat(soak.getInteger("churned_clients")).isPositive();
      assertThat(soak.getLong("heap_end_kb")).isPositive();
      assertThat(soak.getLong("rss_end_kb")).isPositive();
      assertThat(server.isAlive()).isTrue();
    }
  }

  /**
   * A small reconnect storm through the application over HTTP RPC, with the storm shield on: every
   * client comes back restored (no Connect call), with every broadcast once and in order.
   */
  @Test
  void stormAccountsForEveryClientAndEveryMessage() throws Exception {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    int rpcPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--broker=memory", "--http_broadcast_port=" + broadcastPort,
        "--rpc_host=http://127.0.0.1:" + rpcPort + "/_anycable", "--max_pending_connections=5", "--max_conn_rate_per_ip=100"), Map.of())) {
      JsonObject storm = bench("storm", "--url", "ws://127.0.0.1:" + port + "/cable", "--broadcast-url",
          "http://127.0.0.1:" + broadcastPort + "/_broadcast", "--rpc-port", String.valueOf(rpcPort), "--clients", "60",
          "--source-ips", "3", "--rate", "10", "--settle-seconds", "1", "--pid", String.valueOf(server.pid()));
      assertThat(storm.getInteger("subscribed")).as(storm.encode()).isEqualTo(60);
      assertThat(storm.getInteger("resubscribed")).as(storm.encode()).isEqualTo(60);
      assertThat(storm.getLong("sessions_restored")).as(storm.encode()).isEqualTo(60);
      assertThat(storm.getJsonObject("rpc_during_storm").getLong("connect")).as("restored sessions skip Connect").isZero();
      assertThat(storm.getLong("publications_accepted")).isPositive();
      JsonObject delivery = storm.getJsonObject("delivery");
      assertThat(delivery.getLong("missing")).as(storm.encode()).isZero();
      assertThat(delivery.getLong("duplicates")).as(storm.encode()).isZero();
      assertThat(delivery.getLong("out_of_order")).as(storm.encode()).isZero();
      assertThat(storm.getLong("established_then_lost")).as(storm.encode()).isZero();
      assertThat(storm.getJsonObject("server_storm").getDouble("rss_mb_peak")).isPositive();
      assertThat(server.isAlive()).isTrue();
    }
  }

  /** scripts/bench/peers/client-probe.mjs: every message reaches its clients and is counted in some turn. */
  @Test
  void clientProbeCountsEveryMessage() throws Exception {
    Path peers = Path.of(System.getProperty("vxcable.scripts", "../../scripts"), "bench", "peers").toAbsolutePath().normalize();
    NodeRunner.Result npm = NodeRunner.npmCi(peers, Duration.ofSeconds(120));
    assertThat(npm.passed()).as(npm.output()).isTrue();
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--http_broadcast_port=" + broadcastPort), Map.of())) {
      NodeRunner.Result probe = NodeRunner.exec(List.of("node", "client-probe.mjs", "--url", "ws://127.0.0.1:" + port + "/cable",
          "--broadcast-url", "http://127.0.0.1:" + broadcastPort + "/_broadcast", "--clients", "30", "--broadcasts", "5", "--rate", "20"),
          peers, Map.of(), Duration.ofSeconds(60));
      assertThat(probe.passed()).as(probe.output()).isTrue();
      String[] lines = probe.output().trim().split("\n");
      JsonObject result = new JsonObject(lines[lines.length - 1]);
      assertThat(result.getLong("expected")).isEqualTo(150L);
      assertThat(result.getLong("messages")).as(result.encode()).isEqualTo(150L);
      assertThat(result.getInteger("turns")).isBetween(1, 150);
      assertThat(result.getDouble("user_us_per_message")).isPositive();
      assertThat(server.isAlive()).isTrue();
    }
  }

  /** The lean client's bare WebSocket side against scripts/bench/peers/ws-server.mjs, the peer it is compared with. */
  @Test
  void fanoutOverBareWebSocketCountsEveryFrameOfTheWsPeer() throws Exception {
    Path peers = Path.of(System.getProperty("vxcable.scripts", "../../scripts"), "bench", "peers").toAbsolutePath().normalize();
    NodeRunner.Result npm = NodeRunner.npmCi(peers, Duration.ofSeconds(120));
    assertThat(npm.passed()).as(npm.output()).isTrue();
    int port = FreePorts.next();
    Process peer = new ProcessBuilder("node", "ws-server.mjs", "--port", String.valueOf(port)).directory(peers.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      io.vxcable.testkit.Eventually.eventually(Duration.ofSeconds(20), Duration.ofMillis(50), () -> {
        new java.net.Socket("127.0.0.1", port).close();
        return null;
      });
      JsonObject fanout = bench("fanout", "--url", "ws://127.0.0.1:" + port + "/", "--protocol", "ws", "--broadcast-url",
          "http://127.0.0.1:" + port + "/_broadcast", "--clients", "40", "--broadcasts", "10", "--rate", "40", "--warmup", "2",
          "--settle-ms", "200", "--pid", String.valueOf(peer.pid()));
      assertThat(fanout.getString("client")).isEqualTo("raw");
      assertThat(fanout.getLong("delivered")).as(fanout.encode()).isEqualTo(40L * 10);
      assertThat(fanout.getJsonObject("cpu").getDouble("server_s")).isNotNull();
    } finally {
      peer.destroy();
      peer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** cable-bench profile: a flame graph and a summary of where a running server's CPU went under load. */
  @Test
  void profileAttachesToTheServerAndSaysWhereItsTimeWent(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, List.of("--public", "--http_broadcast_port=" + FreePorts.next()), Map.of())) {
      String url = "ws://127.0.0.1:" + port + "/cable";
      var load = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return bench("connect", "--url", url, "--clients", "4000", "--warmup", "4000");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Path html = dir.resolve("server.html");
      JsonObject profile = bench("profile", "--pid", String.valueOf(server.pid()), "--seconds", "2", "--out", html.toString());
      assertThat(load.get(120, TimeUnit.SECONDS).getInteger("connected")).isEqualTo(4000);
      assertThat(profile.getLong("samples")).as(profile.encode()).isPositive();
      assertThat(profile.getJsonArray("top_self")).isNotEmpty();
      assertThat(profile.getDouble("kernel_share")).isBetween(0.0, 1.0);
      assertThat(java.nio.file.Files.readString(html)).startsWith("<!DOCTYPE html>");
      // Any other name: the collapsed stacks themselves, one "frame;frame;... count" per line.
      Path collapsed = dir.resolve("server.txt");
      bench("profile", "--pid", String.valueOf(server.pid()), "--seconds", "1", "--out", collapsed.toString());
      assertThat(java.nio.file.Files.readAllLines(collapsed)).allMatch(l -> l.matches(".+ \\d+"));
      assertThat(server.isAlive()).isTrue();
    }
    Process missing = new ProcessBuilder(command("profile")).redirectErrorStream(true).start();
    String out = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(missing.exitValue()).isEqualTo(2);
    assertThat(out).contains("profile needs --pid");
  }

  @Test
  void aBadModeIsAClearError() throws Exception {
    List<String> cmd = command("nonsense");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("unknown mode: nonsense");
  }

  /** scripts/bench/charts.mjs: one bar per group and value, the median of the group's runs. */
  @Test
  void chartsDrawTheMedianOfEachGroup(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path runs = java.nio.file.Files.writeString(dir.resolve("runs.jsonl"), String.join("\n",
        "{\"label\":\"vx-1\",\"latency_ms\":{\"p50\":10,\"p99\":40}}",
        "{\"label\":\"vx-2\",\"latency_ms\":{\"p50\":20,\"p99\":60}}",
        "{\"label\":\"vx-3\",\"latency_ms\":{\"p50\":30,\"p99\":50}}",
        "{\"label\":\"ws-1\",\"latency_ms\":{\"p50\":5,\"p99\":9}}"));
    java.nio.file.Path svg = dir.resolve("chart.svg");
    java.nio.file.Path script = java.nio.file.Path.of(System.getProperty("vxcable.scripts", "../../scripts"), "bench", "charts.mjs");
    Process p = new ProcessBuilder("node", script.toString(), "--in", runs.toString(), "--groups", "vxcable=vx-,bare ws=ws-",
        "--values", "latency_ms.p50,latency_ms.p99", "--names", "p50,p99", "--unit", "ms", "--title", "t", "--out", svg.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines()).containsExactly("vxcable\tp50\t20.0ms\t(median of 3)", "vxcable\tp99\t50.0ms\t(median of 3)",
        "bare ws\tp50\t5.0ms\t(median of 1)", "bare ws\tp99\t9.0ms\t(median of 1)");
    String drawn = java.nio.file.Files.readString(svg);
    assertThat(drawn).startsWith("<svg").contains(">vxcable</text>").contains(">bare ws</text>").contains(">50.0</text>");
    assertThat(drawn.split("<rect ", -1)).hasSize(1 + 1 + 2 + 4); // background, two legend keys, four bars
  }

  private static JsonObject bench(String... args) throws Exception {
    Process p = new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the bench finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String[] lines = out.split("\n");
    return new JsonObject(lines[lines.length - 1]);
  }

  private static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.add("-jar");
    cmd.add(Path.of(System.getProperty("vxcable.bench.jar", "../bench/target/vxcable-bench.jar")).toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
