package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A translator found on the class path is served by the gateway's own engine on its path: its
 * clients and Action Cable clients share streams, each reading its own format.
 */
class TranslatorMountTest extends GatewayCase {

  static final java.util.function.Predicate<String> NOT_PING = f -> !f.equals("ping");

  @Test
  void aTranslatorOnTheClassPathIsMountedOnItsPathAndSharesStreams() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("line_path", "/lines"));
    try (TestClient line = TestClient.connect(vertx, port, "/lines", List.of(), Map.of());
        TestClient cable = TestClient.connect(vertx, port)) {
      assertThat(line.next(NOT_PING)).isEqualTo("hello");
      line.send("sub room");
      assertThat(line.next(NOT_PING)).isEqualTo("subscribed room");
      assertThat(cable.nextJson().getString("type")).isEqualTo("welcome");
      String id = new JsonObject().put("channel", "$pubsub").put("stream_name", "room").encode();
      cable.send(new JsonObject().put("command", "subscribe").put("identifier", id));
      assertThat(cable.nextJson().getString("type")).isEqualTo("confirm_subscription");
      vertx.eventBus().publish(Addresses.broadcastAddress("room"), StreamBroadcast.newBuilder().setStream("room")
          .setMessage(com.google.protobuf.ByteString.copyFromUtf8("{\"n\":1}")).build());
      assertThat(line.next(NOT_PING)).isEqualTo("room: {\"n\":1}");
      assertThat(cable.nextJson()).isEqualTo(new JsonObject().put("identifier", id).put("message", new JsonObject().put("n", 1)));
    }
  }

  @Test
  void withoutItsPathSettingATranslatorIsNotMounted() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port));
    String answer = io.vxcable.testkit.RawHttp.exchange(port, "GET /lines HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 404");
  }
}
