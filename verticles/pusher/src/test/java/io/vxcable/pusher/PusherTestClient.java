package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A Pusher client of {@code ws://127.0.0.1:<port>/app/detox} for tests: its frames as they come. */
final class PusherTestClient {

  static final String SECRET = "oaugc1";

  /** Held for as long as the test runs: Vert.x closes a client that is garbage-collected. */
  final WebSocketClient client;
  final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  WebSocket ws;
  String socketId;

  /** Connects (with {@code X-Request-ID: requestId} unless null) and reads connection_established. */
  PusherTestClient(Vertx vertx, int port, String requestId) throws Exception {
    client = vertx.createWebSocketClient();
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/app/detox?protocol=7&client=js&version=8.6.0&flash=false");
    if (requestId != null) {
      o.addHeader("X-Request-ID", requestId);
    }
    // The handler is set before the handshake: connection_established comes straight after it.
    ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(frames::add);
    socket.connect(o).await(10, TimeUnit.SECONDS);
    ws = socket;
    JsonObject established = next();
    assertThat(established.getString("event")).isEqualTo("pusher:connection_established");
    JsonObject data = new JsonObject(established.getString("data"));
    assertThat(data.getInteger("activity_timeout")).isEqualTo(30);
    socketId = data.getString("socket_id");
  }

  /** Pusher's channel signature with the test secret. */
  static String sign(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "detox:" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  JsonObject next() throws Exception {
    String f = frames.poll(10, TimeUnit.SECONDS);
    assertThat(f).as("a frame within 10 s").isNotNull();
    return new JsonObject(f);
  }

  void send(JsonObject event) throws Exception {
    ws.writeTextMessage(event.encode()).await(5, TimeUnit.SECONDS);
  }

  /** A ping answered: every frame sent before the pong has come. */
  void pingPong() throws Exception {
    send(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    assertThat(next().getString("event")).isEqualTo("pusher:pong");
  }

  void subscribe(String channel, String auth, String channelData) throws Exception {
    JsonObject data = new JsonObject().put("channel", channel);
    if (auth != null) {
      data.put("auth", auth);
    }
    if (channelData != null) {
      data.put("channel_data", channelData);
    }
    send(new JsonObject().put("event", "pusher:subscribe").put("data", data));
  }

  /** Reads subscription_succeeded of {@code channel}; returns its data, parsed. */
  JsonObject subscribed(String channel) throws Exception {
    JsonObject ok = next();
    assertThat(ok.getString("event")).isEqualTo("pusher_internal:subscription_succeeded");
    assertThat(ok.getString("channel")).isEqualTo(channel);
    return new JsonObject(ok.getString("data"));
  }
}
