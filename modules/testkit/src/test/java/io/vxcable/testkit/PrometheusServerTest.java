package io.vxcable.testkit;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusServerTest {

  private static final String METRICS = "# HELP demo_total x\n# TYPE demo_total counter\ndemo_total 3\n"
      + "# HELP demo_num y\n# TYPE demo_num gauge\ndemo_num 5\n";

  @Test
  void scrapesATargetAndReportsValuesAndTypes() throws IOException {
    HttpServer exporter = exporter(METRICS);
    try (PrometheusServer prometheus = PrometheusServer.start(target(exporter), "/metrics", Duration.ofSeconds(1))) {
      assertThat(prometheus.port()).isNotEqualTo(9090);
      eventually(() -> assertThat(prometheus.targetsUp()).isTrue());
      eventually(() -> assertThat(prometheus.value("demo_total")).isEqualTo(3.0));
      assertThat(prometheus.value("demo_num")).isEqualTo(5.0);
      assertThat(prometheus.value("no_such_metric")).isNaN();
      eventually(() -> assertThat(prometheus.metricTypes(PrometheusServer.JOB))
          .containsEntry("demo_total", "counter")
          .containsEntry("demo_num", "gauge"));
    } finally {
      exporter.stop(0);
    }
  }

  @Test
  void tellsTwoTargetsApart() throws IOException {
    HttpServer a = exporter("demo_num 1\n");
    HttpServer b = exporter("demo_num 2\n");
    try (PrometheusServer prometheus = PrometheusServer.start(List.of(target(a), target(b)), "/metrics", Duration.ofSeconds(1))) {
      eventually(() -> assertThat(prometheus.query("demo_num")).hasSize(2));
      eventually(() -> assertThat(prometheus.targetsUp()).isTrue());
      assertThat(prometheus.value("demo_num{node=\"0\"}")).isEqualTo(1.0);
      assertThat(prometheus.value("demo_num{instance=\"" + target(b) + "\"}")).isEqualTo(2.0);
      assertThat(prometheus.value("sum(demo_num)")).isEqualTo(3.0);
      JsonArray series = prometheus.query("demo_num");
      List<String> nodes = new ArrayList<>();
      series.forEach(s -> nodes.add(((io.vertx.core.json.JsonObject) s).getJsonObject("metric").getString("node")));
      assertThat(nodes).containsExactlyInAnyOrder("0", "1");
    } finally {
      a.stop(0);
      b.stop(0);
    }
  }

  private static HttpServer exporter(String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext("/metrics", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return server;
  }

  private static String target(HttpServer server) {
    return "127.0.0.1:" + server.getAddress().getPort();
  }
}
