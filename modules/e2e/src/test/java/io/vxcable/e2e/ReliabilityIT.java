package io.vxcable.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.NodeRunner;
import io.vxcable.testkit.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
   * An SSE reader's node dies with {@code kill -9} in a two-node symmetric cluster: the reader
   * reconnects through a proxy to the survivor with {@code Last-Event-ID} and gets what was
   * published meanwhile from the shared history, once and in order.
   */
  @Test
  void anSseReaderResumesOnAnotherNodeAfterKill9() {
    String name = "rel-sse-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next()};
    int[] port = {FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1];
    String[] flags = {"--secret=" + SECRET, "--noauth", "--public_streams", "--norpc", "--sse"};
    try (ServerProcess a = ServerProcess.launch(ClusterProcesses.cli(name, members, hz[0], port[0], flags), Map.of(), port[0]);
         ServerProcess b = ServerProcess.launch(ClusterProcesses.cli(name, members, hz[1], port[1], flags), Map.of(), port[1])) {
      for (ServerProcess p : new ServerProcess[] {a, b}) {
        assertThat(p.awaitLog("2 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
      }
      NodeRunner.Result r = NodeRunner.run("reliability/sse_node_death.test.mjs", Map.of(
          "PUBLISH_URL", "http://127.0.0.1:" + port[1] + "/_broadcast",
          "BROADCAST_KEY", BlackBoxIT.DERIVED_BROADCAST_KEY,
          "A_PORT", String.valueOf(port[0]),
          "B_PORT", String.valueOf(port[1]),
          "KILL_PID", String.valueOf(a.pid())), Duration.ofSeconds(90));
      assertThat(r.passed()).as(r.output() + "\n--- B ---\n" + b.logTail()).isTrue();
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

  /**
   * A rolling restart under load: three drop-in CLI nodes with {@code --shutdown_slowdrain}; each in
   * turn is left by the publisher, stopped with SIGTERM (it drains its sessions one after another to
   * the others), relaunched with the same command line and waited for in the cluster. The Node side
   * (150 strict extended-protocol clients and 15 {@code @anycable/core} clients over the three
   * nodes, one publisher at 20/s) must end with every accepted publication once, in order, on every
   * client, and every client moved by a drain. Java and Node talk through files in a control directory.
   */
  @Test
  void aRollingRestartWithSlowDrainLosesNothing() throws IOException {
    String name = "rel-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    int[] port = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    String[] flags = {"--secret=" + SECRET, "--noauth", "--public_streams", "--norpc", "--shutdown_slowdrain",
        "--shutdown_timeout=6"};
    List<List<String>> commands = IntStream.range(0, 3)
        .mapToObj(i -> ClusterProcesses.cli(name, members, hz[i], port[i], flags)).toList();
    String label = "ABC";
    Path control = Files.createTempDirectory("rolling-");
    ServerProcess[] nodes = new ServerProcess[3];
    List<ServerProcess> stopped = new ArrayList<>();
    CompletableFuture<NodeRunner.Result> run = null;
    try {
      for (int i = 0; i < 3; i++) {
        nodes[i] = ServerProcess.launch(commands.get(i), Map.of(), port[i]);
      }
      for (ServerProcess p : nodes) {
        assertThat(p.awaitLog("3 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
      }
      Map<String, String> env = Map.of(
          "CABLE_URLS", Arrays.stream(port).mapToObj(p -> "ws://127.0.0.1:" + p + "/cable").collect(Collectors.joining(",")),
          "PUBLISH_URLS", Arrays.stream(port).mapToObj(p -> "http://127.0.0.1:" + p + "/_broadcast")
              .collect(Collectors.joining(",")),
          "BROADCAST_KEY", BlackBoxIT.DERIVED_BROADCAST_KEY,
          "CONTROL_DIR", control.toString(),
          "DONE_WITHIN_MS", "180000");
      CompletableFuture<NodeRunner.Result> node = CompletableFuture.supplyAsync(
          () -> NodeRunner.run("reliability/rolling_restart.test.mjs", env, Duration.ofSeconds(240)));
      run = node;
      awaitControl(node, "every client subscribed and publishing", Duration.ofSeconds(60),
          () -> Files.exists(control.resolve("ready")));
      for (int i = 0; i < 3; i++) {
        String n = String.valueOf(i);
        writeControl(control, "avoid", n);
        awaitControl(node, "the publisher leaving node " + label.charAt(i), Duration.ofSeconds(10),
            () -> n.equals(readControl(control, "avoid-ack")));
        ServerProcess old = nodes[i];
        stopped.add(old);
        assertThat(old.stop()).as("node %s exits 0 after its drain:%n%s", label.charAt(i), old.logTail()).isZero();
        assertThat(Files.readString(old.log(), StandardCharsets.UTF_8))
            .as("node %s drains slowly:%n%s", label.charAt(i), old.logTail())
            .containsPattern("Draining \\d+ active connections slowly");
        nodes[i] = ServerProcess.launch(commands.get(i), Map.of(), port[i]);
        ServerProcess fresh = nodes[i];
        assertThat(fresh.awaitLog("3 broker node(s)", Duration.ofSeconds(60)))
            .as("node %s back in the cluster:%n%s", label.charAt(i), fresh.logTail()).isTrue();
        assertThat(health(port[i])).as("node %s healthy again", label.charAt(i)).isEqualTo(200);
      }
      writeControl(control, "done", "done");
      NodeRunner.Result r = join(node, Duration.ofSeconds(120));
      report("rolling restart", r);
      StringBuilder logs = new StringBuilder(r.output());
      for (int i = 0; i < 3; i++) {
        logs.append("\n--- ").append(label.charAt(i)).append(" (stopped) ---\n").append(stopped.get(i).logTail());
        logs.append("\n--- ").append(label.charAt(i)).append(" (relaunched) ---\n").append(nodes[i].logTail());
      }
      assertThat(r.passed()).as(logs.toString()).isTrue();
    } finally {
      if (run != null && !run.isDone()) {
        // The Node side stops at once when it sees "abort" (after the figures line).
        writeControl(control, "abort", "abort");
        try {
          run.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
          // NodeRunner's own timeout ends it
        }
      }
      for (ServerProcess p : nodes) {
        if (p != null) {
          p.close();
        }
      }
      try (Stream<Path> files = Files.walk(control)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Polls {@code condition} until {@code timeout}, waiting on the Node run so one that ends early fails at once. */
  private static void awaitControl(CompletableFuture<NodeRunner.Result> node, String what, Duration timeout,
      BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      try {
        NodeRunner.Result r = node.get(50, TimeUnit.MILLISECONDS);
        throw new AssertionError("the Node test ended before " + what + ":\n" + r.output());
      } catch (TimeoutException e) {
        // still running: poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
    }
  }

  private static NodeRunner.Result join(CompletableFuture<NodeRunner.Result> node, Duration timeout) {
    try {
      return node.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the Node test did not finish", e);
    }
  }

  /** Written whole (a rename), so the Node side never reads half a file. */
  private static void writeControl(Path dir, String name, String text) {
    try {
      Path tmp = Files.writeString(dir.resolve(name + ".java-tmp"), text);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readControl(Path dir, String name) {
    try {
      Path f = dir.resolve(name);
      return Files.exists(f) ? Files.readString(f).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static int health(int port) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
