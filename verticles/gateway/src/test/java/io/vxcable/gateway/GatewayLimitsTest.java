package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.HttpExchange;
import io.vxcable.contracts.bus.HttpExchangeReply;
import io.vxcable.testkit.RawHttp;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the main listener refuses to hold for a client: a bad handshake, cleartext HTTP/2, a
 * compressed message past the size limit, unbounded pongs, subscriptions past the cap, and
 * forwarded broadcast bodies that are unauthenticated or too large.
 */
class GatewayLimitsTest extends GatewayCase {

  void deploy(JsonObject overrides) throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).mergeIn(overrides));
  }

  String raw(String request) throws IOException {
    return RawHttp.exchange(port, request);
  }

  static String upgrade(String version, String key) {
    return "GET /cable HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: " + version + "\r\nSec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Protocol: actioncable-v1-json\r\n\r\n";
  }

  @Test
  void onlyVersion13WithAWellFormedKeyIsUpgraded() throws Exception {
    deploy(new JsonObject());
    assertThat(raw(upgrade("13", "dGhlIHNhbXBsZSBub25jZQ=="))).startsWith("HTTP/1.1 101");
    assertThat(raw(upgrade("8", "dGhlIHNhbXBsZSBub25jZQ==")))
        .startsWith("HTTP/1.1 426").containsIgnoringCase("sec-websocket-version: 13");
    assertThat(raw(upgrade("13", "abc"))).startsWith("HTTP/1.1 400");
    assertThat(raw(upgrade("13", "dGhlIHNhbXBsZSBub25jZQ"))).as("unpadded: 22 characters").startsWith("HTTP/1.1 400");
  }

  @Test
  void cleartextHttp2IsNeverSpoken() throws Exception {
    deploy(new JsonObject());
    String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    assertThat(raw(preface)).as("an HTTP/1.1 answer, never a SETTINGS frame").startsWith("HTTP/1.1 505");
    String h2cUpgrade = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    assertThat(raw(h2cUpgrade)).startsWith("HTTP/1.1 200");
  }

  @Test
  void permessageDeflateIsNegotiatedWithoutServerContextTakeover() throws Exception {
    deploy(new JsonObject().put("enable_ws_compression", true));
    Compressed c = Compressed.connect(vertx, port);
    assertThat(c.ws.headers().get("Sec-WebSocket-Extensions")).contains("permessage-deflate").contains("server_no_context_takeover");
    c.ws.writeTextMessage(NettyWebSocketTest.subscribe());
    assertThat(new JsonObject(c.frames.poll(10, TimeUnit.SECONDS)).getString("type")).isEqualTo("confirm_subscription");
    c.client.close();
  }

  @Test
  void aCompressedMessageInflatingPastTheLimitIsRefusedWith1009() throws Exception {
    deploy(new JsonObject().put("enable_ws_compression", true).put("max_message_size", 4096));
    Compressed c = Compressed.connect(vertx, port);
    // 1 MB of the same byte compresses to about a kilobyte: small on the wire, huge inflated.
    c.ws.writeTextMessage("{\"command\":\"message\",\"data\":\"" + "z".repeat(1_000_000) + "\"}");
    assertThat(TestClient.await(c.closed.future())).isEqualTo((short) 1009);
    c.client.close();
  }

  /** A Vert.x client offering permessage-deflate, with its frames and close code. */
  record Compressed(WebSocketClient client, WebSocket ws, LinkedBlockingQueue<String> frames, Promise<Short> closed) {
    static Compressed connect(io.vertx.core.Vertx vertx, int port) throws Exception {
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true)
          .setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20));
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      Promise<Short> closed = Promise.promise();
      ClientWebSocket socket = client.webSocket();
      socket.textMessageHandler(t -> {
        if (!t.contains("\"type\":\"ping\"") && !t.contains("\"type\":\"welcome\"")) {
          frames.add(t);
        }
      });
      socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
      WebSocket ws = TestClient.await(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/cable").addSubProtocol("actioncable-v1-json")));
      return new Compressed(client, ws, frames, closed);
    }
  }

  @Test
  void pingsWhilePongsAreInFlightAreCoalescedAndTheLatestIsAlwaysAnswered() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      List<String> pongs = new CopyOnWriteArrayList<>();
      Promise<Void> last = Promise.promise();
      c.ws.pongHandler(data -> {
        pongs.add(data.toString());
        if (data.toString().equals("ping 499")) {
          last.tryComplete();
        }
      });
      for (int i = 0; i < 500; i++) {
        c.ws.writePing(Buffer.buffer("ping " + i));
      }
      TestClient.await(last.future());
      assertThat(pongs.size()).as("one pong per ping at most").isBetween(1, 500);
      assertThat(pongs).as("pongs keep the order of the pings").isSortedAccordingTo(
          (a, b) -> Integer.compare(Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5))));
    }
  }

  @Test
  void subscriptionsPastTheCapAreRejectedWithoutAskingTheApplication() throws Exception {
    deploy(new JsonObject().put("max_subscriptions_per_connection", 2));
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      for (int i = 0; i < 3; i++) {
        String id = new JsonObject().put("channel", "$pubsub").put("stream_name", "s" + i).encode();
        c.send(new JsonObject().put("command", "subscribe").put("identifier", id));
        JsonObject reply = c.nextJson();
        assertThat(reply.getString("identifier")).isEqualTo(id);
        assertThat(reply.getString("type")).isEqualTo(i < 2 ? "confirm_subscription" : "reject_subscription");
      }
      // Unsubscribing frees a place.
      c.send(new JsonObject().put("command", "unsubscribe")
          .put("identifier", new JsonObject().put("channel", "$pubsub").put("stream_name", "s0").encode()));
      String again = new JsonObject().put("channel", "$pubsub").put("stream_name", "s2").encode();
      c.send(new JsonObject().put("command", "subscribe").put("identifier", again));
      assertThat(c.nextJson().getString("type")).isEqualTo("confirm_subscription");
    }
  }

  @Test
  void forwardedBroadcastsAreCheckedBeforeTheirBodyIsRead() throws Exception {
    deploy(new JsonObject().put("http_broadcast_port", port).put("http_broadcast_secret", "k")
        .put("http_max_body_size", 1000));
    List<HttpExchange> forwarded = new CopyOnWriteArrayList<>();
    TestClient.await(vertx.eventBus().<HttpExchange>consumer(Addresses.BROADCAST_HTTP, m -> {
      forwarded.add(m.body());
      m.reply(HttpExchangeReply.newBuilder().setStatus(201).build());
    }).completion());
    String big = "POST /_broadcast HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nAuthorization: Bearer ";
    assertThat(raw(big + "wrong\r\n\r\n")).as("no key: refused before the body").startsWith("HTTP/1.1 401");
    assertThat(raw(big + "k\r\n\r\n")).as("the key, but too large").startsWith("HTTP/1.1 413");
    assertThat(forwarded).as("nothing reached the intake").isEmpty();
    String body = "{\"stream\":\"s\",\"data\":\"1\"}";
    assertThat(raw("POST /_broadcast HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: " + body.length()
        + "\r\n\r\n" + body)).startsWith("HTTP/1.1 201");
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).getBody().toStringUtf8()).isEqualTo(body);
    assertThat(forwarded.get(0).getPath()).isEqualTo("/_broadcast");
    assertThat(forwarded.get(0).getHeadersMap()).containsEntry("authorization", "Bearer k");
  }
}
