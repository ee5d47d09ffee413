package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.MicrometerMetrics;
import io.vxcable.protocol.Jwt;
import io.vxcable.protocol.MessageVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SSE endpoint in a real gateway, read by a streaming HTTP client. */
class SseEndpointTest extends GatewayCase {

  static final String SECRET = "qwerty";
  static final String CHAT = new JsonObject().put("channel", "$pubsub").put("stream_name", "chat").encode();

  GatewayVerticle deploy(JsonObject overrides) throws Exception {
    GatewayVerticle g = new GatewayVerticle();
    JsonObject config = GatewayFixture.defaults(port).put("sse", true).put("sse_path", "/events").mergeIn(overrides);
    vertx.deployVerticle(g, new DeploymentOptions().setConfig(Settings.of(config).toJson())).await(20, TimeUnit.SECONDS);
    return g;
  }

  void broadcast(String stream, String json) {
    vertx.eventBus().publish(Addresses.broadcastAddress(stream), StreamBroadcast.newBuilder()
        .setStream(stream).setMessage(ByteString.copyFromUtf8(json)).build());
  }

  /** Broadcasts until the stream's subscription is live (the hub subscribes asynchronously). */
  SseClient.Event firstBroadcast(SseClient c, String stream, String json) throws Exception {
    broadcast(stream, json);
    return c.next();
  }

  @Test
  void aGetStreamsWelcomeConfirmationAndUnwrappedMessages() throws Exception {
    deploy(new JsonObject());
    try (SseClient c = SseClient.get(port, "/events?stream=chat", Map.of())) {
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
      assertThat(c.header("Cache-Control")).isEqualTo("private, no-cache, no-store, must-revalidate, max-age=0");
      assertThat(c.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(c.header("X-AnyCable-Version")).isNotEmpty();
      assertThat(c.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(c.next().type()).isEqualTo("welcome");
      SseClient.Event confirm = c.next();
      assertThat(confirm.type()).isEqualTo("confirm_subscription");
      assertThat(new JsonObject(confirm.data()).getString("identifier")).isEqualTo(CHAT);
      SseClient.Event hi = firstBroadcast(c, "chat", "\"hi\\nthere\"");
      assertThat(hi.type()).isNull();
      assertThat(hi.data()).isEqualTo("hi\nthere");
      broadcast("chat", "{\"text\":\"ok\"}");
      assertThat(c.next().data()).isEqualTo("{\"text\":\"ok\"}");
    }
  }

  @Test
  void rawStreamsCarryOnlyData() throws Exception {
    deploy(new JsonObject().put("ping_interval", 1));
    try (SseClient c = SseClient.get(port, "/events?channel=Nope&identifier=" + enc(CHAT) + "&raw=1", Map.of())) {
      assertThat(c.status()).isEqualTo(200);
      broadcast("chat", "{\"n\":1}");
      SseClient.Event e = c.nextEvent();
      assertThat(e.type()).isNull();
      assertThat(e.data()).isEqualTo("{\"n\":1}");
    }
  }

  @Test
  void badRequestsAreAnswered400() throws Exception {
    deploy(new JsonObject());
    assertThat(status("GET", "/events", "")).isEqualTo(400);
    assertThat(status("GET", "/events?stream=chat&history_since=yesterday", "")).isEqualTo(400);
    assertThat(status("PUT", "/events?stream=chat", "")).isEqualTo(405);
    assertThat(status("OPTIONS", "/events", "")).isEqualTo(200);
    assertThat(status("POST", "/events", "not json\n")).isEqualTo(400);
    try (SseClient c = SseClient.get(port, "/events?stream=chat", Map.of("Last-Event-ID", "x/epoch/chat"))) {
      assertThat(c.status()).isEqualTo(400);
    }
  }

  @Test
  void authenticationAndRejectionsAreAnsweredBeforeTheStream() throws Exception {
    deploy(new JsonObject().put("noauth", false).put("public_streams", false).put("jwt_secret", SECRET)
        .put("streams_secret", SECRET).put("enforce_jwt", true).put("allowed_origins", "example.com"));
    String signed = new MessageVerifier(SECRET).generate("chat");
    assertThat(status("GET", "/events?signed_stream=" + enc(signed), "")).isEqualTo(401);
    String token = Jwt.signHs256("{\"ext\":\"{\\\"uid\\\":\\\"42\\\"}\"}", SECRET);
    try (SseClient c = SseClient.get(port, "/events?stream=chat", Map.of("X-JID", token))) {
      assertThat(c.status()).as("an unsigned stream is rejected").isEqualTo(400);
    }
    try (SseClient c = SseClient.get(port, "/events?signed_stream=" + enc(signed) + "&jid=" + token,
        Map.of("Origin", "https://example.com"))) {
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
      assertThat(c.next().type()).isEqualTo("welcome");
      assertThat(c.next().type()).isEqualTo("confirm_subscription");
    }
  }

  @Test
  void aPostSubscribesEveryLineAndStreamsFullMessages() throws Exception {
    deploy(new JsonObject());
    String other = new JsonObject().put("channel", "$pubsub").put("stream_name", "other").encode();
    String body = new JsonObject().put("command", "message").put("identifier", CHAT).encode() + "\n"
        + new JsonObject().put("identifier", other).encode() + "\n";
    try (SseClient c = SseClient.post(port, "/events", body)) {
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.next().type()).isEqualTo("welcome");
      assertThat(c.next().type()).isEqualTo("confirm_subscription");
      assertThat(c.next().type()).isEqualTo("confirm_subscription");
      broadcast("other", "{\"n\":2}");
      SseClient.Event e = c.next();
      assertThat(new JsonObject(e.data())).isEqualTo(new JsonObject().put("identifier", other).put("message", new JsonObject().put("n", 2)));
    }
  }

  @Test
  void aClientThatLeavesEndsItsSession() throws Exception {
    GatewayVerticle g = deploy(new JsonObject());
    try (SseClient c = SseClient.get(port, "/events?stream=chat", Map.of())) {
      c.next();
      c.next();
      assertThat(g.engine().sessionCount()).isEqualTo(1);
    }
    eventually(() -> assertThat(g.engine().sessionCount()).isZero());
  }

  @Test
  void aReaderThatStopsReadingIsDroppedLikeASlowWebSocketClient() throws Exception {
    GatewayVerticle g = deploy(new JsonObject().put("ws_max_pending_size", 65536));
    try (java.net.Socket stalled = new java.net.Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      stalled.getOutputStream().write(("GET /events?stream=big HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
      try (SseClient reader = SseClient.get(port, "/events?stream=big", Map.of())) {
        reader.next();
        reader.next();
        eventually(() -> assertThat(g.engine().sessionCount()).isEqualTo(2));
        String big = "\"" + "x".repeat(32 * 1024) + "\"";
        // The stalled socket fills its buffers; then the server's pending bytes pass the limit.
        for (int i = 0; i < 1000 && g.engine().sessionCount() == 2; i++) {
          broadcast("big", big);
          assertThat(reader.next().data()).hasSize(32 * 1024);
        }
        eventually(() -> assertThat(g.engine().sessionCount()).as("the stalled reader was dropped").isEqualTo(1));
        broadcast("big", "\"still here\"");
        assertThat(reader.next().data()).isEqualTo("still here");
      }
    }
  }

  @Test
  void establishedStreamsAreCountedInSseClientsNum() throws Exception {
    deploy(new JsonObject().put("metrics_http", "/metrics").put("stats_refresh_interval", 1));
    MicrometerMetrics m = (MicrometerMetrics) Metrics.of(vertx);
    try (SseClient a = SseClient.get(port, "/events?stream=chat", Map.of());
        SseClient b = SseClient.get(port, "/events?stream=chat&raw=1", Map.of())) {
      a.next();
      assertThat(b.status()).isEqualTo(200);
      eventually(() -> {
        m.refresh();
        assertThat(m.value("sse_clients_num")).isEqualTo(2);
        assertThat(m.value("clients_num")).isEqualTo(2);
      });
      assertThat(m.scrape()).contains("anycable_go_sse_clients_num 2.0");
    }
    eventually(() -> {
      m.refresh();
      assertThat(m.value("sse_clients_num")).isZero();
    });
  }

  @Test
  void aShutdownTellsTheClientAndEndsTheStream() throws Exception {
    deploy(new JsonObject());
    try (SseClient c = SseClient.get(port, "/events?stream=chat", Map.of())) {
      c.next();
      c.next();
      List<Future<Void>> undeployed = vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
      SseClient.Event bye = c.next();
      assertThat(bye.type()).isEqualTo("disconnect");
      assertThat(new JsonObject(bye.data()).getString("reason")).isEqualTo("server_restart");
      c.awaitEnd();
      Future.all(undeployed).await(20, TimeUnit.SECONDS);
    }
  }

  int status(String method, String path, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
