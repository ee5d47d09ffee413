package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.rpc.CommandMessage;
import io.vxcable.contracts.rpc.CommandResponse;
import io.vxcable.contracts.rpc.ConnectionRequest;
import io.vxcable.contracts.rpc.ConnectionResponse;
import io.vxcable.contracts.rpc.DisconnectRequest;
import io.vxcable.contracts.rpc.Status;
import io.vxcable.protocol.JsonText;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SSE sessions authenticated and subscribed by an application over cable.rpc.* (an application
 * peer stands on the bus): the request's cookies reach Connect, the application's transmissions
 * become events, and the stream's end reaches Disconnect.
 */
class SseRpcTest extends GatewayCase {

  static final String CHAT = "{\"channel\":\"ChatChannel\"}";
  final CompletableFuture<ConnectionRequest> connected = new CompletableFuture<>();
  final CompletableFuture<DisconnectRequest> disconnected = new CompletableFuture<>();

  void application() throws Exception {
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m -> {
      String cookie = m.body().getEnv().getHeadersOrDefault("cookie", "");
      if (!cookie.contains("session=ok")) {
        m.reply(ConnectionResponse.newBuilder().setStatus(Status.FAILURE)
            .addTransmissions("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}").build());
        return;
      }
      connected.complete(m.body());
      m.reply(ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"uid\":\"7\"}")
          .addTransmissions("{\"type\":\"welcome\"}").build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<CommandMessage>consumer(Addresses.RPC_COMMAND, m -> {
      CommandMessage c = m.body();
      String id = JsonText.quote(c.getIdentifier());
      if (!c.getIdentifier().equals(CHAT)) {
        m.reply(CommandResponse.newBuilder().setStatus(Status.FAILURE)
            .addTransmissions("{\"identifier\":" + id + ",\"type\":\"reject_subscription\"}").build());
        return;
      }
      m.reply(CommandResponse.newBuilder().setStatus(Status.SUCCESS)
          .addTransmissions("{\"identifier\":" + id + ",\"message\":\"hello\"}")
          .addTransmissions("{\"identifier\":" + id + ",\"type\":\"confirm_subscription\"}")
          .addStreams("chat/1").build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<DisconnectRequest>consumer(Addresses.RPC_DISCONNECT, m -> disconnected.complete(m.body()))
        .completion().await(5, TimeUnit.SECONDS);
  }

  void deploy() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("norpc", false).put("noauth", false)
        .put("public_streams", false).put("sse", true).put("sse_path", "/events"));
  }

  @Test
  void theApplicationAuthenticatesSubscribesAndLearnsOfTheEnd() throws Exception {
    application();
    deploy();
    try (SseClient c = SseClient.get(port, "/events?channel=ChatChannel", Map.of("Cookie", "session=ok; theme=dark"))) {
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.next().type()).isEqualTo("welcome");
      assertThat(c.next().data()).as("a transmission's message alone").isEqualTo("hello");
      assertThat(c.next().type()).isEqualTo("confirm_subscription");
      vertx.eventBus().publish(Addresses.broadcastAddress("chat/1"), StreamBroadcast.newBuilder()
          .setStream("chat/1").setMessage(ByteString.copyFromUtf8("{\"text\":\"hi\"}")).build());
      assertThat(new JsonObject(c.next().data())).isEqualTo(new JsonObject().put("text", "hi"));
      ConnectionRequest request = connected.get(5, TimeUnit.SECONDS);
      assertThat(request.getEnv().getUrl()).endsWith("/events?channel=ChatChannel");
    }
    DisconnectRequest bye = disconnected.get(10, TimeUnit.SECONDS);
    assertThat(bye.getIdentifiers()).isEqualTo("{\"uid\":\"7\"}");
    assertThat(bye.getSubscriptionsList()).containsExactly(CHAT);
  }

  @Test
  void aRejectedConnectionIs401AndARejectedSubscription400() throws Exception {
    application();
    deploy();
    try (SseClient c = SseClient.get(port, "/events?channel=ChatChannel", Map.of())) {
      assertThat(c.status()).isEqualTo(401);
    }
    try (SseClient c = SseClient.get(port, "/events?channel=Other", Map.of("Cookie", "session=ok"))) {
      assertThat(c.status()).isEqualTo(400);
    }
  }
}
