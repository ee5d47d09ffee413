package io.vxcable.broadcast;

import static io.vxcable.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.FreePorts;
import io.vxcable.testkit.RawHttp;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The intake's own listeners (broadcasts and the REST API on their own ports) refuse before they
 * read: the key and the method first, then the body limit; and they keep the request deadlines.
 */
class ListenerLimitsTest {

  Vertx vertx;
  int port;
  int apiPort;
  final List<StreamBroadcast> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    apiPort = FreePorts.next();
    JsonObject settings = new JsonObject().put("broadcast_adapter", "http").put("host", "127.0.0.1").put("port", 1)
        .put("http_broadcast_port", port).put("http_broadcast_path", "/_broadcast")
        .put("http_broadcast_secret", "k").put("http_broadcast_cors", false).put("allowed_origins", "")
        .put("ssl_cert", "").put("ssl_key", "").put("broker", "")
        .put("api_port", apiPort).put("api_path", "/api").put("api_secret", "a").put("public", false)
        .put("http_read_header_timeout", 1).put("http_read_timeout", 30).put("http_idle_timeout", 60)
        .put("http_max_body_size", 1000);
    vertx.eventBus().<StreamBroadcast>consumer(Addresses.broadcastAddress("s"), m -> published.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new BroadcastVerticle(), new DeploymentOptions().setConfig(Settings.of(settings).toJson()))
        .await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static String post(String path, String auth, long length) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + auth + "\r\nContent-Length: " + length + "\r\n\r\n";
  }

  @Test
  void aBroadcastWithoutTheKeyIsRefusedBeforeItsBody() throws Exception {
    try (RawHttp http = RawHttp.connect(port)) {
      http.send(post("/_broadcast", "wrong", 100_000_000)).send("x".repeat(100_000));
      assertThat(http.response()).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
      assertThat(http.closedByServer()).isTrue();
    }
    assertThat(RawHttp.exchange(port, post("/_broadcast", "k", 100_000_000))).startsWith("HTTP/1.1 413");
    assertThat(RawHttp.exchange(port, "GET /_broadcast HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n"))
        .as("anycable-go's answer to another method").startsWith("HTTP/1.1 422");
    String body = "{\"stream\":\"s\",\"data\":\"1\"}";
    assertThat(RawHttp.exchange(port, post("/_broadcast", "k", body.length()) + body)).startsWith("HTTP/1.1 201");
    eventually(() -> assertThat(published).hasSize(1));
  }

  @Test
  void theRestApiPublishIsCheckedTheSameWay() throws Exception {
    assertThat(RawHttp.exchange(apiPort, post("/api/publish", "wrong", 100_000_000))).startsWith("HTTP/1.1 401");
    assertThat(RawHttp.exchange(apiPort, post("/api/publish", "a", 100_000_000))).startsWith("HTTP/1.1 413");
    String body = "{\"stream\":\"s\",\"data\":\"2\"}";
    assertThat(RawHttp.exchange(apiPort, post("/api/publish", "a", body.length()) + body)).startsWith("HTTP/1.1 201");
    eventually(() -> assertThat(published).hasSize(1));
  }

  @Test
  void aReadOnlyApiCallNeverBuffersABody() throws Exception {
    // The presence endpoint takes no body: a huge one is not read (501: no presence verticle here).
    String request = "GET /api/presence/s/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
        + "Content-Length: 100000000\r\n\r\n";
    assertThat(RawHttp.exchange(apiPort, request)).startsWith("HTTP/1.1 501");
  }

  @Test
  void presenceWithoutAPresenceVerticleSaysWhichFlagTurnsItOn() throws Exception {
    String request = "GET /api/presence/s/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nConnection: close\r\n\r\n";
    assertThat(RawHttp.exchange(apiPort, request)).startsWith("HTTP/1.1 501")
        .contains("presence is not enabled: start the server with --broker=memory");
  }

  @Test
  void everyListenerClosesAHeadThatDoesNotArriveInTime() throws Exception {
    for (int p : new int[] {port, apiPort}) {
      try (RawHttp http = RawHttp.connect(p)) {
        http.send("POST /_broadcast HTTP/1.1\r\nHo");
        assertThat(http.response()).as("port %d", p).startsWith("HTTP/1.1 408");
        assertThat(http.closedByServer()).isTrue();
      }
    }
  }
}
