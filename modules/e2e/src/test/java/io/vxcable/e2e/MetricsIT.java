package io.vxcable.e2e;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.e2e.MetricsSupport.CableClient;
import io.vxcable.e2e.MetricsSupport.StatsdSink;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.PrometheusServer;
import io.vxcable.testkit.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The observability issue: anycable-go's metrics as a user meets them. The packaged server scraped
 * by a real Prometheus, StatsD datagrams in the three tag formats, {@code --metrics_log} lines, two
 * cluster nodes told apart by {@code node_id}, a metrics listener of its own, and the start-up checks
 * of the metrics flags.
 */
class MetricsIT {

  static final List<String> COUNTERS = List.of("client_msg_total", "failed_client_msg_total", "failed_auths_total",
      "broadcast_msg_total", "remote_commands_total", "disconnected_slow_clients_total", "server_msg_total",
      "failed_server_msg_total", "timeout_server_msg_total", "data_sent_total", "data_rcvd_total",
      "sessions_restored_total", "sessions_restore_missed_total", "history_replayed_total", "history_rejected_total",
      "publications_total", "failed_broadcast_msg_total", "rpc_call_total", "rpc_retries_total", "rpc_error_total",
      "rpc_timeout_total", "rpc_canceled_total", "broadcast_live_filled_total", "broadcast_live_skipped_total",
      "broadcast_live_late_total", "broadcast_live_overtaken_total", "broadcast_live_repeats_total");
  static final List<String> GAUGES = List.of("clients_num", "clients_uniq_num", "broadcast_streams_num",
      "disconnect_queue_size", "goroutines_num", "mem_sys_bytes", "rpc_pending_num", "rpc_capacity_num");
  static final List<String> HISTOGRAMS = List.of("broadcast_delivery_seconds", "broadcast_store_seconds",
      "history_replay_messages");

  /** The RPC verticle runs (its metrics registered) against a closed port; --public needs no RPC call. */
  private static List<String> publicServer(int broadcastPort, String... more) {
    List<String> flags = new ArrayList<>(List.of("--public", "--http_broadcast_port=" + broadcastPort,
        "--rpc_host=127.0.0.1:" + FreePorts.next(), "--stats_refresh_interval=1"));
    flags.addAll(List.of(more));
    return flags;
  }

  @Test
  void prometheusScrapesEveryDocumentedMetric() throws IOException {
    int port = FreePorts.next();
    int broadcastPort = FreePorts.next();
    int n = 3;
    int m = 5;
    try (ServerProcess server = ServerProcess.start(port, publicServer(broadcastPort, "--broker=memory",
            "--metrics_http=/metrics"), Map.of());
         PrometheusServer prom = PrometheusServer.start("127.0.0.1:" + port, "/metrics", Duration.ofSeconds(1))) {
      eventually(() -> {
        Map<String, String> types = prom.metricTypes();
        Map<String, String> wrong = new LinkedHashMap<>();
        COUNTERS.forEach(c -> expectType(types, c, "counter", wrong));
        GAUGES.forEach(g -> expectType(types, g, "gauge", wrong));
        HISTOGRAMS.forEach(h -> expectType(types, h, "histogram", wrong));
        assertThat(wrong).as("metrics missing or of the wrong type (expected type: found)").isEmpty();
        assertThat(types.keySet()).as("Vert.x, JVM and process meters").anyMatch(k -> k.startsWith("vertx_"))
            .anyMatch(k -> k.startsWith("jvm_")).anyMatch(k -> k.startsWith("process_"));
      });
      assertThat(prom.targetsUp()).isTrue();
      assertThat(prom.value("anycable_go_rpc_capacity_num")).isEqualTo(28);
      eventually(() -> assertThat(prom.value("anycable_go_goroutines_num")).isGreaterThan(5));
      assertThat(prom.value("anycable_go_mem_sys_bytes")).isGreaterThan(10_000_000);

      String stream = "metrics-" + UUID.randomUUID();
      List<CableClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          CableClient c = CableClient.connect(port);
          clients.add(c);
          c.subscribe(stream);
        }
        eventually(() -> assertThat(prom.value("anycable_go_clients_num")).isEqualTo(n));
        // --noauth identifies each session by its own sid: as many unique clients as sessions.
        eventually(() -> assertThat(prom.value("anycable_go_clients_uniq_num")).isEqualTo(n));
        // One stream, whatever the number of event loops its clients landed on.
        eventually(() -> assertThat(prom.value("anycable_go_broadcast_streams_num")).isEqualTo(1));
        eventually(() -> assertThat(prom.value("anycable_go_client_msg_total")).isGreaterThanOrEqualTo(n));
        eventually(() -> assertThat(prom.value("anycable_go_data_rcvd_total")).isGreaterThan(0));
        // Exactly what the server has written so far (welcomes and confirmations), read at the source.
        double sentBefore = MetricsSupport.sample(MetricsSupport.get("http://127.0.0.1:" + port + "/metrics").body(),
            "anycable_go_server_msg_total");
        assertThat(sentBefore).as("server_msg_total after welcomes and confirmations").isGreaterThanOrEqualTo(2 * n);

        for (int i = 0; i < m; i++) {
          MetricsSupport.publish(broadcastPort, stream, "{\"n\":" + i + "}");
        }
        for (CableClient c : clients) {
          eventually(() -> assertThat(c.messages()).as("%s", c.frames).isEqualTo(m));
        }
        eventually(() -> {
          assertThat(prom.value("anycable_go_server_msg_total") - sentBefore).isGreaterThanOrEqualTo(n * m);
          assertThat(prom.value("anycable_go_publications_total")).isEqualTo(m);
          // Once per publication on the node, as anycable-go counts it (not once per event loop).
          assertThat(prom.value("anycable_go_broadcast_msg_total")).isEqualTo(m);
          assertThat(prom.value("anycable_go_broadcast_delivery_seconds_count")).isGreaterThanOrEqualTo(m);
          assertThat(prom.value("anycable_go_broadcast_store_seconds_count")).isEqualTo(m);
          assertThat(prom.value("anycable_go_data_sent_total")).isGreaterThan(0);
        });
        assertThat(prom.value("anycable_go_failed_broadcast_msg_total")).isZero();
        assertThat(prom.value("anycable_go_failed_client_msg_total")).isZero();
        // Deliveries on loopback take well under the 2.5 s bucket.
        assertThat(prom.value("anycable_go_broadcast_delivery_seconds_bucket{le=\"2.5\"}"))
            .isEqualTo(prom.value("anycable_go_broadcast_delivery_seconds_count"));
      } finally {
        clients.forEach(CableClient::close);
      }
      eventually(() -> assertThat(prom.value("anycable_go_clients_num")).isZero());
      eventually(() -> assertThat(prom.value("anycable_go_broadcast_streams_num")).isZero());
      assertThat(server.isAlive()).isTrue();
    }
  }

  private static void expectType(Map<String, String> types, String name, String type, Map<String, String> wrong) {
    String found = types.get("anycable_go_" + name);
    if (!type.equals(found)) {
      wrong.put(name, type + ": " + found);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"datadog", "influxdb", "graphite"})
  void statsdFormats(String format) throws Exception {
    Pattern shape = Pattern.compile(switch (format) {
      case "datadog" -> "anycable_go\\.([a-z_]+):(-?\\d+)\\|([cg])\\|#env:test";
      case "influxdb" -> "anycable_go\\.([a-z_]+),env=test:(-?\\d+)\\|([cg])";
      default -> "anycable_go\\.([a-z_]+);env=test:(-?\\d+)\\|([cg])";
    });
    String idle = switch (format) {
      case "datadog" -> "anycable_go.clients_num:0|g|#env:test";
      case "influxdb" -> "anycable_go.clients_num,env=test:0|g";
      default -> "anycable_go.clients_num;env=test:0|g";
    };
    int port = FreePorts.next();
    try (StatsdSink sink = new StatsdSink();
         ServerProcess server = ServerProcess.start(port, publicServer(FreePorts.next(),
             "--statsd_host=127.0.0.1:" + sink.port(), "--metrics_rotate_interval=1", "--statsd_tags_format=" + format,
             "--metrics_tags=env:test"), Map.of())) {
      eventually(() -> assertThat(sink.snapshot()).as(server.logTail()).contains(idle));
      int commands = 3;
      try (CableClient c = CableClient.connect(port)) {
        for (int i = 0; i < commands; i++) {
          c.subscribe("statsd-" + i);
        }
        eventually(() -> assertThat(values(sink, shape, "clients_num")).contains(1L));
        eventually(() -> assertThat(sum(values(sink, shape, "client_msg_total"))).isEqualTo(commands));
        // Two more rotations: the counter's increments still add up to the commands, none counted twice.
        int sends = values(sink, shape, "client_msg_total").size();
        eventually(() -> assertThat(values(sink, shape, "client_msg_total").size()).isGreaterThanOrEqualTo(sends + 2));
        assertThat(sum(values(sink, shape, "client_msg_total"))).isEqualTo(commands);
      }
      eventually(() -> assertThat(values(sink, shape, "clients_num")).last().isEqualTo(0L));
      List<String> lines = sink.snapshot();
      Map<String, String> kinds = new LinkedHashMap<>();
      for (String line : lines) {
        Matcher mt = shape.matcher(line);
        assertThat(mt.matches()).as("a %s line: %s", format, line).isTrue();
        kinds.put(mt.group(1), mt.group(3));
      }
      for (String c : COUNTERS) {
        assertThat(kinds.get(c)).as("the kind of %s in %s", c, kinds).isEqualTo("c");
      }
      for (String g : GAUGES) {
        assertThat(kinds.get(g)).as("the kind of %s in %s", g, kinds).isEqualTo("g");
      }
    }
  }

  /** The values of {@code name}'s lines so far, in order (all lines must have the format's shape). */
  private static List<Long> values(StatsdSink sink, Pattern shape, String name) {
    List<Long> out = new ArrayList<>();
    for (String line : sink.snapshot()) {
      Matcher mt = shape.matcher(line);
      if (mt.matches() && mt.group(1).equals(name)) {
        out.add(Long.parseLong(mt.group(2)));
      }
    }
    return out;
  }

  private static long sum(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sum();
  }

  private static final Pattern LOG_LINE = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) INFO ([a-z_]+=-?\\d+(?: [a-z_]+=-?\\d+)*) component=metrics");
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  record LogLine(LocalDateTime at, Map<String, Long> values) {}

  @Test
  void metricsLogLines() throws IOException {
    int port = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, publicServer(FreePorts.next(), "--metrics_log",
        "--metrics_rotate_interval=1", "--metrics_log_filter=clients_num,client_msg_total"), Map.of())) {
      eventually(() -> assertThat(logLines(server)).hasSizeGreaterThanOrEqualTo(4));
      List<LogLine> first = logLines(server);
      for (LogLine l : first) {
        assertThat(new ArrayList<>(l.values().keySet())).as("only the filtered names, sorted")
            .containsExactly("client_msg_total", "clients_num");
      }
      assertThat(first.get(0).values()).containsEntry("clients_num", 0L).containsEntry("client_msg_total", 0L);
      double seconds = Duration.between(first.get(0).at(), first.get(first.size() - 1).at()).toMillis()
          / 1000.0 / (first.size() - 1);
      assertThat(seconds).as("the mean time between lines").isBetween(0.8, 1.5);

      int commands = 2;
      try (CableClient c = CableClient.connect(port)) {
        c.subscribe("log-a");
        c.subscribe("log-b");
        eventually(() -> assertThat(logLines(server)).anyMatch(l -> l.values().get("clients_num") == 1));
        eventually(() -> assertThat(logLines(server).stream().mapToLong(l -> l.values().get("client_msg_total")).sum())
            .as("client_msg_total deltas add up to the commands").isEqualTo(commands));
      }
      eventually(() -> assertThat(logLines(server)).last().matches(l -> l.values().get("clients_num") == 0, "no client"));
      assertThat(logLines(server).stream().mapToLong(l -> l.values().get("client_msg_total")).sum()).isEqualTo(commands);
    }
  }

  private static List<LogLine> logLines(ServerProcess server) {
    List<LogLine> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(server.log(), StandardCharsets.UTF_8)) {
      lines.map(LOG_LINE::matcher).filter(Matcher::matches).forEach(mt -> {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : mt.group(2).split(" ")) {
          int eq = pair.indexOf('=');
          values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        out.add(new LogLine(LocalDateTime.parse(mt.group(1), LOG_TIME), values));
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new AssertionError("cannot read " + server.log(), e);
    }
    return out;
  }

  @Test
  void clusterNodesReportTheirOwnClients() throws IOException {
    String name = "metrics-" + UUID.randomUUID();
    int[] hz = {FreePorts.next(), FreePorts.next()};
    int[] port = {FreePorts.next(), FreePorts.next()};
    int[] broadcast = {FreePorts.next(), FreePorts.next()};
    String[] ids = {"mx-a-" + hz[0], "mx-b-" + hz[1]};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1];
    List<ServerProcess> nodes = new ArrayList<>();
    List<CableClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        nodes.add(ServerProcess.launch(ClusterProcesses.cli(name, members, hz[i], port[i],
            publicServer(broadcast[i], "--metrics_http=/metrics", "--node_id=" + ids[i]).toArray(String[]::new)),
            Map.of(), port[i]));
      }
      for (ServerProcess p : nodes) {
        assertThat(p.awaitLog("2 broker node(s)", Duration.ofSeconds(60))).as(p.logTail()).isTrue();
      }
      try (PrometheusServer prom = PrometheusServer.start(List.of("127.0.0.1:" + port[0], "127.0.0.1:" + port[1]),
          "/metrics", Duration.ofSeconds(1))) {
        String stream = "cluster-" + UUID.randomUUID();
        int[] perNode = {2, 3};
        for (int i = 0; i < 2; i++) {
          for (int k = 0; k < perNode[i]; k++) {
            CableClient c = CableClient.connect(port[i]);
            clients.add(c);
            c.subscribe(stream);
          }
        }
        String a = "{node_id=\"" + ids[0] + "\"}";
        String b = "{node_id=\"" + ids[1] + "\"}";
        eventually(() -> {
          assertThat(prom.value("anycable_go_clients_num" + a)).isEqualTo(2);
          assertThat(prom.value("anycable_go_clients_num" + b)).isEqualTo(3);
        });
        // node_id is the one given on each node's command line (the node label is its position in the targets).
        assertThat(prom.value("anycable_go_clients_num{node=\"1\",node_id=\"" + ids[1] + "\"}")).isEqualTo(3);
        assertThat(prom.value("sum(anycable_go_clients_num)")).isEqualTo(5);
        double bBefore = prom.value("anycable_go_broadcast_msg_total" + b);
        assertThat(bBefore).as("B's broadcast_msg_total before any publication").isZero();

        int m = 3;
        for (int i = 0; i < m; i++) {
          MetricsSupport.publish(broadcast[0], stream, "{\"from\":\"a\",\"n\":" + i + "}");
        }
        for (CableClient c : clients) {
          eventually(() -> assertThat(c.messages()).as("%s", c.frames).isEqualTo(m));
        }
        eventually(() -> {
          assertThat(prom.value("anycable_go_broadcast_msg_total" + b)).isEqualTo(bBefore + m);
          assertThat(prom.value("anycable_go_broadcast_delivery_seconds_count" + b)).isGreaterThanOrEqualTo(m);
          assertThat(prom.value("anycable_go_publications_total" + a)).isEqualTo(m);
        });
        assertThat(prom.value("anycable_go_publications_total" + b)).as("B received no publication itself").isZero();
      }
    } finally {
      clients.forEach(CableClient::close);
      nodes.forEach(ServerProcess::close);
    }
  }

  @Test
  void separateMetricsPort() {
    int port = FreePorts.next();
    int metricsPort = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, publicServer(FreePorts.next(), "--metrics_http=/metrics",
        "--metrics_port=" + metricsPort), Map.of())) {
      HttpResponse<String> metrics = MetricsSupport.get("http://127.0.0.1:" + metricsPort + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body()).contains("# TYPE anycable_go_clients_num gauge").contains("\nanycable_go_clients_num ");
      assertThat(server.logContains("Serve metrics at http://127.0.0.1:" + metricsPort + "/metrics")).isTrue();

      HttpResponse<String> main = MetricsSupport.get("http://127.0.0.1:" + port + "/metrics");
      HttpResponse<String> unknown = MetricsSupport.get("http://127.0.0.1:" + port + "/no-such-path");
      assertThat(main.statusCode()).as("/metrics on the main port answers as any unknown path")
          .isEqualTo(unknown.statusCode()).isNotEqualTo(200);
      assertThat(main.body()).doesNotContain("anycable_go_");
    }
  }

  @Test
  void vertxRunReportsVertxsOwnMetersIntoTheSameRegistry() {
    int port = FreePorts.next();
    String conf = "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"public\":true,\"metrics_http\":\"/metrics\"}";
    List<String> cmd = List.of(CustomProtocolIT.script("vertx"), "run", "bundle", "-conf", conf);
    try (ServerProcess server = ServerProcess.launch(cmd, Map.of("JAVA_OPTS", "-Xmx256m", "VXCABLE_CLASSPATH", ""), port)) {
      String body = MetricsSupport.get("http://127.0.0.1:" + port + "/metrics").body();
      assertThat(body).contains("\nanycable_go_clients_num ")
          .contains("vertx_eventbus_handlers{address=\"cable.rpc.connect\"}")
          .contains("vertx_http_server_active_connections");
      assertThat(server.logContains("already registered")).as("no duplicate-meter warning").isFalse();
    }
  }

  @Test
  void theMetricsFlagsStartTheServerAndABadTagsFormatStopsIt() throws Exception {
    int port = FreePorts.next();
    try (ServerProcess server = ServerProcess.start(port, publicServer(FreePorts.next(), "--metrics_http=/m",
        "--metrics_log", "--statsd_host=127.0.0.1:" + FreePorts.next(), "--metrics_tags=a:b", "--stats_refresh_interval=2",
        "--metrics_rotate_interval=3", "--metrics_host=127.0.0.1"), Map.of())) {
      assertThat(MetricsSupport.get("http://127.0.0.1:" + port + "/health").statusCode()).isEqualTo(200);
      // --metrics_host is the main host and no --metrics_port: the main listener serves the endpoint.
      HttpResponse<String> m = MetricsSupport.get("http://127.0.0.1:" + port + "/m");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body()).contains("anycable_go_clients_num{a=\"b\"}");
    }

    int badPort = FreePorts.next();
    List<String> cmd = new ArrayList<>(ServerProcess.javaCommand());
    cmd.addAll(List.of("-jar", ServerProcess.jar().toString(), "--host=127.0.0.1", "--port=" + badPort, "--public",
        "--http_broadcast_port=" + FreePorts.next(), "--statsd_tags_format=bogus", "--statsd_host=127.0.0.1:1"));
    try (ServerProcess bad = ServerProcess.launch(cmd, Map.of(), 0)) {
      int exit = bad.awaitExit(Duration.ofSeconds(60));
      String output = Files.readString(bad.log(), StandardCharsets.UTF_8);
      assertThat(exit).as("exit code (-1: still running):%n%s", output).isNotIn(0, -1);
      assertThat(output).contains("statsd_tags_format").contains("bogus");
      assertThat(output).doesNotContain("gateway listening");
    }
  }
}
