package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own WebSocket on the Netty channel (RFC 6455 details the session layer never
 * sees): fragmented and binary messages, pings, the closing handshake in both directions.
 */
class NettyWebSocketTest extends GatewayCase {

  static final String PUBSUB = new JsonObject().put("channel", "$pubsub").put("stream_name", "frames").encode();

  void deploy(JsonObject overrides) throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).mergeIn(overrides));
  }

  static String subscribe() {
    return new JsonObject().put("command", "subscribe").put("identifier", PUBSUB).encode();
  }

  @Test
  void aMessageSplitIntoFragmentsIsOneCommand() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
      String command = subscribe();
      int cut = command.length() / 2;
      TestClient.await(c.ws.writeFrame(WebSocketFrame.textFrame(command.substring(0, cut), false)));
      TestClient.await(c.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(command.substring(cut)), true)));
      assertThat(c.nextJson().getString("type")).isEqualTo("confirm_subscription");
    }
  }

  @Test
  void aBinaryFrameCarriesACommandToo() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      TestClient.await(c.ws.writeBinaryMessage(Buffer.buffer(subscribe().getBytes(StandardCharsets.UTF_8))));
      assertThat(c.nextJson().getString("type")).isEqualTo("confirm_subscription");
    }
  }

  @Test
  void aPingIsAnsweredWithItsPayload() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      Promise<String> pong = Promise.promise();
      c.ws.pongHandler(data -> pong.tryComplete(data.toString()));
      TestClient.await(c.ws.writePing(Buffer.buffer("are you there")));
      assertThat(TestClient.await(pong.future())).isEqualTo("are you there");
    }
  }

  @Test
  void aClientCloseIsAnsweredWithItsCode() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      c.ws.close((short) 4001, "bye");
      assertThat(c.awaitClose()).isEqualTo((short) 4001);
    }
  }

  @Test
  void aCloseWithoutAStatusIsAnsweredWithoutOne() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      // An empty close payload, as browsers and `ws` send for close() without a code.
      TestClient.await(c.ws.writeFrame(WebSocketFrame.pingFrame(Buffer.buffer())));
      TestClient.await(c.ws.writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
          io.vertx.core.http.WebSocketFrameType.CLOSE, new byte[0], true)));
      // The answer carries no status either (a 65535 here would be a protocol error for the client).
      assertThat(c.awaitClose()).isIn((short) 1005, (short) 1000);
    }
  }

  @Test
  void aRefusedConnectionIsClosedWithTheServersCode() throws Exception {
    // No RPC to ask: authentication fails while the session's reading is paused; the client's
    // answer to the close frame must still be read for the closing handshake to complete.
    deploy(new JsonObject().put("noauth", false).put("norpc", true));
    try (TestClient c = TestClient.connect(vertx, port)) {
      JsonObject refused = c.nextJson();
      assertThat(refused.getString("type")).isEqualTo("disconnect");
      assertThat(refused.getString("reason")).isEqualTo("unauthorized");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
  }

  @Test
  void permessageDeflateIsNegotiatedOnlyWhenEnabled() throws Exception {
    deploy(new JsonObject());
    assertThat(deflateExtension()).as("compression off: the gateway's own WebSocket, no extension").isNull();
    vertx.deploymentIDs().forEach(id -> TestClient.await(vertx.undeploy(id)));
    deploy(new JsonObject().put("enable_ws_compression", true));
    assertThat(deflateExtension()).as("compression on: the gateway negotiates it").contains("permessage-deflate");
  }

  /** Connects offering permessage-deflate, waits for the welcome; the extension the server accepted. */
  private String deflateExtension() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    try {
      Promise<String> welcome = Promise.promise();
      ClientWebSocket socket = client.webSocket();
      socket.textMessageHandler(welcome::tryComplete);
      WebSocket ws = TestClient.await(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/cable").addSubProtocol("actioncable-v1-json")));
      assertThat(new JsonObject(TestClient.await(welcome.future())).getString("type")).isEqualTo("welcome");
      String extension = ws.headers().get("Sec-WebSocket-Extensions");
      TestClient.await(ws.close());
      return extension;
    } finally {
      client.close();
    }
  }

  @Test
  void anOversizedMessageIsAnsweredWith1009() throws Exception {
    deploy(new JsonObject().put("max_message_size", 1024));
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      c.send("{\"command\":\"message\",\"data\":\"" + "x".repeat(4096) + "\"}");
      assertThat(c.awaitClose()).isEqualTo((short) 1009);
    }
  }
}
