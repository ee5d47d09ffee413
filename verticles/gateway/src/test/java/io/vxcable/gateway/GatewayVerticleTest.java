package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.RemoteDisconnect;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway over real sockets, with broadcasts and remote commands injected on the bus. */
class GatewayVerticleTest extends GatewayCase {

  static final String CHAT = "{\"channel\":\"$pubsub\",\"stream_name\":\"chat\"}";

  void deploy(JsonObject overrides) throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).mergeIn(overrides));
  }

  void broadcast(String stream, String message, String exclude) throws Exception {
    vertx.eventBus().publish(Addresses.broadcastAddress(stream), StreamBroadcast.newBuilder()
        .setStream(stream).setMessage(ByteString.copyFromUtf8(message)).setExcludeSocket(exclude).build());
  }

  @Test
  void aPublicConnectionIsWelcomedWithItsSid() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      JsonObject welcome = c.nextJson();
      assertThat(welcome.getString("type")).isEqualTo("welcome");
      assertThat(welcome.getString("sid")).matches("[A-Za-z0-9_-]{21}");
      assertThat(welcome.fieldNames()).containsExactlyInAnyOrder("type", "sid");
    }
  }

  @Test
  void aSubscriberReceivesBroadcastsInOrderEncodedOncePerIdentifier() throws Exception {
    deploy(new JsonObject());
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      a.next();
      b.next();
      assertThat(a.subscribe(CHAT)).isEqualTo("{\"type\":\"confirm_subscription\",\"identifier\":" + quoted(CHAT) + "}");
      b.subscribe(CHAT);
      for (int i = 0; i < 50; i++) {
        broadcast("chat", "{\"n\":" + i + "}", "");
      }
      for (int i = 0; i < 50; i++) {
        String expected = "{\"identifier\":" + quoted(CHAT) + ",\"message\":{\"n\":" + i + "}}";
        assertThat(a.next()).isEqualTo(expected);
        assertThat(b.next()).isEqualTo(expected);
      }
    }
  }

  @Test
  void excludeSocketSkipsOnlyThatSession() throws Exception {
    deploy(new JsonObject());
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      String sidA = a.nextJson().getString("sid");
      b.next();
      a.subscribe(CHAT);
      b.subscribe(CHAT);
      broadcast("chat", "\"for others\"", sidA);
      assertThat(new JsonObject(b.next()).getString("message")).isEqualTo("for others");
      a.expectSilence(300);
    }
  }

  @Test
  void whispersReachOtherSubscribersButNeverTheSender() throws Exception {
    deploy(new JsonObject());
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      a.next();
      b.next();
      a.subscribe(CHAT);
      b.subscribe(CHAT);
      a.send(new JsonObject().put("command", "whisper").put("identifier", CHAT)
          .put("data", new JsonObject().put("event", "typing")));
      assertThat(b.next()).isEqualTo("{\"identifier\":" + quoted(CHAT) + ",\"message\":{\"event\":\"typing\"}}");
      a.expectSilence(300);
    }
  }

  @Test
  void badFramesUnknownCommandsAndDoubleSubscribesGetNoReplyAndHarmNothing() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      c.subscribe(CHAT);
      c.send("{not json");
      c.send("[1,2]");
      c.send("{\"command\":\"dance\"}");
      c.send(new JsonObject().put("command", "subscribe").put("identifier", CHAT));
      c.send(new JsonObject().put("command", "unsubscribe").put("identifier", "{\"channel\":\"Nope\"}"));
      c.send(new JsonObject().put("command", "message").put("identifier", "{\"channel\":\"Nope\"}").put("data", "{}"));
      c.expectSilence(300);
      c.send("{\"command\":\"ping\"}");
      assertThat(c.next()).isEqualTo("{\"type\":\"pong\"}");
      broadcast("chat", "1", "");
      assertThat(c.next()).isEqualTo("{\"identifier\":" + quoted(CHAT) + ",\"message\":1}");
    }
  }

  @Test
  void unsubscribeIsSilentAndStopsDelivery() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      c.subscribe(CHAT);
      c.send(new JsonObject().put("command", "unsubscribe").put("identifier", CHAT));
      c.send("{\"command\":\"ping\"}");
      assertThat(c.next()).isEqualTo("{\"type\":\"pong\"}");
      broadcast("chat", "1", "");
      c.expectSilence(300);
    }
  }

  @Test
  void theServerPicksItsPreferredProtocolAndTheExtendedOneCarriesTheSid() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port, "/cable",
        List.of("actioncable-v1-ext-json", "actioncable-v1-json"), Map.of())) {
      assertThat(c.ws.subProtocol()).isEqualTo("actioncable-v1-json");
      assertThat(c.ws.headers().get("X-AnyCable-Version")).startsWith("1.6.16");
    }
    try (TestClient c = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-ext-json"), Map.of())) {
      assertThat(c.ws.subProtocol()).isEqualTo("actioncable-v1-ext-json");
      assertThat(c.nextJson().getString("sid")).isNotEmpty();
    }
  }

  @Test
  void withoutAnyIdentificationNorpcRejectsAsUnauthorized() throws Exception {
    deploy(new JsonObject().put("noauth", false));
    try (TestClient c = TestClient.connect(vertx, port)) {
      assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
  }

  @Test
  void aRemoteDisconnectClosesEverySessionWithThoseIdentifiers() throws Exception {
    deploy(new JsonObject());
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      String sid = a.nextJson().getString("sid");
      b.next();
      vertx.eventBus().publish(Addresses.EVENTS_COMMAND, RemoteCommand.newBuilder()
          .setDisconnect(RemoteDisconnect.newBuilder().setIdentifiers("{\"sid\":\"" + sid + "\"}").setReconnect(true))
          .build());
      assertThat(a.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"remote\",\"reconnect\":true}");
      assertThat(a.awaitClose()).isEqualTo((short) 1000);
      b.send("{\"command\":\"ping\"}");
      assertThat(b.next()).isEqualTo("{\"type\":\"pong\"}");
    }
  }

  @Test
  void pingsFollowThePerConnectionIntervalAndPrecision() throws Exception {
    deploy(new JsonObject().put("ping_interval", 30));
    try (TestClient c = TestClient.connect(vertx, port, "/cable?pi=1&ptp=ms", List.of("actioncable-v1-json"), Map.of())) {
      JsonObject ping = new JsonObject(c.next(f -> f.startsWith("{\"type\":\"ping\"")));
      long ts = ping.getLong("message");
      assertThat(ts).isBetween(System.currentTimeMillis() - 10_000, System.currentTimeMillis() + 1);
    }
  }

  @Test
  void anExtendedClientThatStopsPongingIsDisconnected() throws Exception {
    deploy(new JsonObject().put("pong_timeout", 1));
    try (TestClient c = TestClient.connect(vertx, port, "/cable?pi=1", List.of("actioncable-v1-ext-json"), Map.of())) {
      assertThat(c.next(f -> f.contains("no_pong")))
          .isEqualTo("{\"type\":\"disconnect\",\"reason\":\"no_pong\",\"reconnect\":true}");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
  }

  @Test
  void gracefulShutdownTellsClientsTheServerRestarts() throws Exception {
    String id = GatewayFixture.deploy(vertx, GatewayFixture.defaults(port));
    TestClient c = TestClient.connect(vertx, port);
    c.next();
    vertx.undeploy(id);
    assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}");
    assertThat(c.awaitClose()).isEqualTo((short) 1001);
  }

  @Test
  void healthAnswersOtherPathsAre404AndOriginsAreChecked() throws Exception {
    deploy(new JsonObject().put("allowed_origins", "example.com"));
    HttpClient http = vertx.createHttpClient();
    int health = http.request(HttpMethod.GET, port, "127.0.0.1", "/health")
        .compose(r -> r.send()).await(5, TimeUnit.SECONDS).statusCode();
    assertThat(health).isEqualTo(200);
    int missing = http.request(HttpMethod.GET, port, "127.0.0.1", "/nope")
        .compose(r -> r.send()).await(5, TimeUnit.SECONDS).statusCode();
    assertThat(missing).isEqualTo(404);
    int notUpgrade = http.request(HttpMethod.GET, port, "127.0.0.1", "/cable")
        .compose(r -> r.send()).await(5, TimeUnit.SECONDS).statusCode();
    assertThat(notUpgrade).isEqualTo(400);
    int wrongMethod = http.request(HttpMethod.POST, port, "127.0.0.1", "/cable")
        .compose(r -> r.send()).await(5, TimeUnit.SECONDS).statusCode();
    assertThat(wrongMethod).isEqualTo(405);
    WebSocketClient ws = vertx.createWebSocketClient();
    Throwable refused = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/cable").addHeader("Origin", "http://evil.test")).map(w -> (Throwable) null)
        .otherwise(e -> e).await(5, TimeUnit.SECONDS);
    assertThat(refused).isNotNull().hasMessageContaining("403");
    assertThat(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/cable").addHeader("Origin", "http://example.com")).await(5, TimeUnit.SECONDS)).isNotNull();
  }

  static String quoted(String s) throws Exception {
    return io.vxcable.protocol.JsonText.quote(s);
  }
}
