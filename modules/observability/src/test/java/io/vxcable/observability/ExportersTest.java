package io.vxcable.observability;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vxcable.config.ConfigException;
import io.vxcable.testkit.FreePorts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExportersTest {

  @Test
  void statsdDatagramsArriveAtTheRotateInterval() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp.setSoTimeout(200);
      Vertx vertx = Vertx.vertx();
      try {
        Metrics m = Metrics.of(vertx, MicrometerMetricsTest.settings("--statsd_host=127.0.0.1:" + udp.getLocalPort(),
            "--metrics_rotate_interval=1", "--statsd_tags_format=influxdb", "--metrics_tags=env:ci"));
        assertThat(Metrics.of(vertx)).isSameAs(m);
        AtomicLong commands = new AtomicLong();
        m.counter("client_msg_total", "commands", commands::get);
        commands.set(5);
        List<String> lines = new CopyOnWriteArrayList<>();
        eventually(() -> {
          receive(udp, lines);
          assertThat(lines).anyMatch(l -> l.equals("anycable_go.client_msg_total,env=ci:5|c"));
        });
        commands.set(8);
        eventually(() -> {
          receive(udp, lines);
          assertThat(lines).anyMatch(l -> l.equals("anycable_go.client_msg_total,env=ci:3|c"));
          assertThat(lines).anyMatch(l -> l.startsWith("anycable_go.goroutines_num,env=ci:") && l.endsWith("|g"));
        });
      } finally {
        vertx.close().await();
      }
    }
  }

  private static void receive(DatagramSocket udp, List<String> into) {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      udp.receive(p);
      into.addAll(List.of(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).split("\n")));
    } catch (java.io.IOException timeout) {
      // nothing this time
    }
  }

  @Test
  void separateListenerServesPrometheusAndStopsWithVertx() throws Exception {
    int port = FreePorts.next();
    Vertx vertx = Vertx.vertx();
    Metrics m = Metrics.of(vertx, MicrometerMetricsTest.settings("--metrics_http=/metrics", "--metrics_port=" + port));
    m.gauge("rpc_pending_num", "pending", () -> 3);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(MicrometerMetrics.PROMETHEUS_TYPE);
    assertThat(r.body()).contains("anycable_go_rpc_pending_num 3.0");
    vertx.close().await();
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void badTagsFormatIsRefused() {
    assertThatThrownBy(() -> VertxMetrics.create(MicrometerMetricsTest.settings("--statsd_host=127.0.0.1:9",
        "--statsd_tags_format=bogus"))).isInstanceOf(ConfigException.class).hasMessageContaining("statsd_tags_format");
  }

  @Test
  void withoutExportersEverythingIsNoop() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(Metrics.of(vertx, MicrometerMetricsTest.settings())).isSameAs(Metrics.NOOP);
      assertThat(Metrics.of(vertx).enabled()).isFalse();
    } finally {
      vertx.close().await();
    }
  }
}
