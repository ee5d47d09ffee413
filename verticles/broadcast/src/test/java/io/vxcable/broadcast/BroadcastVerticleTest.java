package io.vxcable.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.HttpExchange;
import io.vxcable.contracts.bus.HttpExchangeReply;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intake deployed for real: HTTP on its own port, and the bus path used by gateways. */
class BroadcastVerticleTest {

  Vertx vertx;
  int port;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = io.vxcable.testkit.FreePorts.next();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  JsonObject settings(String key) {
    return new JsonObject().put("broadcast_adapter", "http").put("host", "127.0.0.1").put("port", 1)
        .put("http_broadcast_port", port).put("http_broadcast_path", "/_broadcast")
        .put("http_broadcast_secret", key).put("http_broadcast_cors", false).put("allowed_origins", "")
        .put("ssl_cert", "").put("ssl_key", "").put("broker", "");
  }

  void deploy(JsonObject settings) throws Exception {
    vertx.deployVerticle(new BroadcastVerticle(), new DeploymentOptions().setConfig(Settings.of(settings).toJson()))
        .await(20, TimeUnit.SECONDS);
  }

  List<StreamBroadcast> listen(String stream) throws Exception {
    List<StreamBroadcast> got = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress(stream), m -> got.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    return got;
  }

  int post(String path, String auth, String body) throws Exception {
    HttpClient http = vertx.createHttpClient();
    return http.request(HttpMethod.POST, port, "127.0.0.1", path)
        .compose(r -> {
          if (auth != null) {
            r.putHeader("Authorization", auth);
          }
          return r.send(Buffer.buffer(body));
        })
        .await(10, TimeUnit.SECONDS).statusCode();
  }

  static void eventually(Runnable check) {
    Eventually.eventually(check);
  }

  @Test
  void postedPublicationsReachTheStreamShardInOrder() throws Exception {
    deploy(settings(""));
    List<StreamBroadcast> got = listen("chat");
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"stream\":\"chat\",\"data\":\"").append(i).append("\"}");
    }
    assertThat(post("/_broadcast", null, batch.append(']').toString())).isEqualTo(201);
    eventually(() -> assertThat(got).hasSize(100));
    for (int i = 0; i < 100; i++) {
      assertThat(got.get(i).getMessage().toStringUtf8()).isEqualTo(String.valueOf(i));
    }
  }

  @Test
  void publicationsAreCountedInTheMetricsAndStampedWithTheirArrival() throws Exception {
    deploy(settings("").put("metrics_log", true));
    io.vxcable.observability.MicrometerMetrics m = (io.vxcable.observability.MicrometerMetrics)
        io.vxcable.observability.Metrics.of(vertx);
    java.util.List<StreamBroadcast> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("chat"), msg -> seen.add(msg.body()));
    long before = io.vxcable.observability.WallClock.micros();
    assertThat(post("/_broadcast", null, "{\"stream\":\"chat\",\"data\":\"1\"}")).isEqualTo(201);
    assertThat(post("/_broadcast", null, "[{\"stream\":\"chat\",\"data\":\"2\"},{\"stream\":\"chat\",\"data\":\"3\"}]"))
        .isEqualTo(201);
    assertThat(post("/_broadcast", null, "{not json")).isEqualTo(201);
    assertThat(m.value("publications_total")).isEqualTo(2);
    assertThat(m.value("failed_broadcast_msg_total")).isEqualTo(1);
    eventually(() -> assertThat(seen).hasSize(3));
    assertThat(seen).allSatisfy(b -> assertThat(b.getReceivedAtUs()).isBetween(before, io.vxcable.observability.WallClock.micros()));
  }

  @Test
  void aKeyIsEnforcedOnTheHttpEndpoint() throws Exception {
    deploy(settings("s3cr3t"));
    List<StreamBroadcast> got = listen("chat");
    assertThat(post("/_broadcast", null, "{\"stream\":\"chat\",\"data\":\"1\"}")).isEqualTo(401);
    assertThat(post("/_broadcast", "Bearer s3cr3t", "{\"stream\":\"chat\",\"data\":\"2\"}")).isEqualTo(201);
    assertThat(post("/elsewhere", "Bearer s3cr3t", "{}")).isEqualTo(404);
    eventually(() -> assertThat(got).extracting(b -> b.getMessage().toStringUtf8()).containsExactly("2"));
  }

  @Test
  void gatewaysForwardMainPortRequestsOverTheBus() throws Exception {
    deploy(settings("k").put("port", port));
    List<StreamBroadcast> got = listen("s");
    HttpExchangeReply reply = vertx.eventBus().<HttpExchangeReply>request(Addresses.BROADCAST_HTTP,
            HttpExchange.newBuilder().setMethod("POST").setPath("/_broadcast").putHeaders("authorization", "Bearer k")
                .setBody(ByteString.copyFromUtf8("{\"stream\":\"s\",\"data\":\"{}\"}")).build())
        .await(10, TimeUnit.SECONDS).body();
    assertThat(reply.getStatus()).isEqualTo(201);
    eventually(() -> assertThat(got).hasSize(1));
    int denied = vertx.eventBus().<HttpExchangeReply>request(Addresses.BROADCAST_HTTP,
            HttpExchange.newBuilder().setMethod("POST").setPath("/_broadcast").setBody(ByteString.copyFromUtf8("{}")).build())
        .await(10, TimeUnit.SECONDS).body().getStatus();
    assertThat(denied).isEqualTo(401);
  }

  @Test
  void anUnknownAdapterStopsTheDeployment() {
    assertThatThrownBy(() -> deploy(settings("").put("broadcast_adapter", "http,kafka")))
        .hasMessageContaining("unknown broadcast adapter: kafka");
  }

}
