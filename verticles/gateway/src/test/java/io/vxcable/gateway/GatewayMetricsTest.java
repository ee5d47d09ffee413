package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.observability.WallClock;
import io.vxcable.protocol.Jwt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a gateway reports, read from the process's metrics (as an exporter reads them). */
class GatewayMetricsTest extends GatewayCase {

  static final String SECRET = "qwerty";
  static final String ROOM = new JsonObject().put("channel", "$pubsub").put("stream_name", "room").encode();

  MicrometerMetrics deploy(JsonObject overrides) throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("metrics_http", "/metrics")
        .put("stats_refresh_interval", 1).mergeIn(overrides));
    return (MicrometerMetrics) Metrics.of(vertx);
  }

  static String token(String uid) {
    return Jwt.signHs256("{\"ext\":\"{\\\"uid\\\":\\\"" + uid + "\\\"}\",\"exp\":" + (System.currentTimeMillis() / 1000 + 60) + "}",
        SECRET);
  }

  @Test
  void clientsMessagesBytesAndFreshnessAreCounted() throws Exception {
    MicrometerMetrics m = deploy(new JsonObject());
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      a.next();
      b.next();
      assertThat(a.subscribe(ROOM)).contains("confirm_subscription");
      assertThat(b.subscribe(ROOM)).contains("confirm_subscription");
      vertx.eventBus().publish(Addresses.broadcastAddress("room"), StreamBroadcast.newBuilder().setStream("room")
          .setMessage(ByteString.copyFromUtf8("\"hi\"")).setReceivedAtUs(WallClock.micros() - 2_000).build());
      assertThat(a.next()).contains("hi");
      assertThat(b.next()).contains("hi");
      a.send("not json");
      eventually(() -> {
        m.refresh();
        assertThat(m.value("clients_num")).isEqualTo(2);
        assertThat(m.value("clients_uniq_num")).isEqualTo(2);
        assertThat(m.value("broadcast_streams_num")).isEqualTo(1);
        assertThat(m.value("client_msg_total")).isEqualTo(2);
        assertThat(m.value("failed_client_msg_total")).isEqualTo(1);
        assertThat(m.value("broadcast_msg_total")).isEqualTo(1);
        // welcome, confirmation and the broadcast for each
        assertThat(m.value("server_msg_total")).isEqualTo(6);
        long subscribeFrame = new JsonObject().put("command", "subscribe").put("identifier", ROOM).encode().length();
        assertThat(m.value("data_rcvd_total")).isEqualTo(2 * subscribeFrame + "not json".length());
        assertThat(m.value("data_sent_total")).isGreaterThan(0);
      });
      String scrape = m.scrape();
      assertThat(scrape).contains("anycable_go_broadcast_delivery_seconds_count 1\n")
          .doesNotContain("anycable_go_broadcast_delivery_seconds_bucket{le=\"0.001\"} 1");
    }
    eventually(() -> {
      m.refresh();
      assertThat(m.value("clients_num")).isZero();
      assertThat(m.value("broadcast_streams_num")).isZero();
    });
  }

  @Test
  void uniqueClientsFollowIdentifiersAndFailedAuthsAreCounted() throws Exception {
    MicrometerMetrics m = deploy(new JsonObject().put("noauth", false).put("jwt_secret", SECRET).put("enforce_jwt", true));
    try (TestClient a = TestClient.connect(vertx, port, "/cable?jid=" + token("1"), List.of("actioncable-v1-json"), Map.of());
        TestClient b = TestClient.connect(vertx, port, "/cable?jid=" + token("1"), List.of("actioncable-v1-json"), Map.of());
        TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + token("2"), List.of("actioncable-v1-json"), Map.of());
        TestClient refused = TestClient.connect(vertx, port, "/cable?jid=forged", List.of("actioncable-v1-json"), Map.of())) {
      assertThat(a.nextJson().getString("type")).isEqualTo("welcome");
      assertThat(b.nextJson().getString("type")).isEqualTo("welcome");
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
      assertThat(refused.awaitClose()).isEqualTo((short) 1000);
      eventually(() -> {
        m.refresh();
        assertThat(m.value("clients_num")).isEqualTo(3);
        assertThat(m.value("clients_uniq_num")).isEqualTo(2);
        assertThat(m.value("failed_auths_total")).isEqualTo(1);
      });
    }
  }

  @Test
  void twoEnginesCountSharedStreamsIdentifiersAndBroadcastsOnce() throws Exception {
    JsonObject settings = GatewayFixture.defaults(port).put("metrics_http", "/metrics").put("noauth", false)
        .put("jwt_secret", SECRET).put("enforce_jwt", true);
    vertx.deployVerticle(GatewayVerticle::new, new io.vertx.core.DeploymentOptions().setInstances(2)
        .setConfig(io.vxcable.config.Settings.of(settings).toJson())).await(20, java.util.concurrent.TimeUnit.SECONDS);
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    // Vert.x hands connections to the instances in turn: these four land on both engines.
    List<TestClient> clients = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + token("1"), List.of("actioncable-v1-json"), Map.of());
        clients.add(c);
        c.next();
        assertThat(c.subscribe(ROOM)).contains("confirm_subscription");
      }
      vertx.eventBus().publish(Addresses.broadcastAddress("room"), StreamBroadcast.newBuilder().setStream("room")
          .setMessage(ByteString.copyFromUtf8("\"hi\"")).setReceivedAtUs(WallClock.micros()).build());
      for (TestClient c : clients) {
        assertThat(c.next()).contains("hi");
      }
      eventually(() -> {
        m.refresh();
        assertThat(m.value("clients_num")).isEqualTo(4);
        assertThat(m.value("clients_uniq_num")).isEqualTo(1);
        assertThat(m.value("broadcast_streams_num")).isEqualTo(1);
        assertThat(m.value("broadcast_msg_total")).isEqualTo(1);
        assertThat(m.value("server_msg_total")).isEqualTo(12);
      });
      assertThat(m.registry().get("anycable_go_broadcast_delivery_seconds").timer().count())
          .as("one delivery per engine").isEqualTo(2);
    } finally {
      clients.forEach(TestClient::close);
    }
  }

  @Test
  void theMainPortServesPrometheus() throws Exception {
    deploy(new JsonObject());
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    assertThat(r.body()).contains("# TYPE anycable_go_clients_num gauge").contains("# TYPE anycable_go_client_msg_total counter");
  }
}
