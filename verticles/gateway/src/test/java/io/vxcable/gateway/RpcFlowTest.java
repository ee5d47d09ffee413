package io.vxcable.gateway;

import static io.vxcable.testkit.Eventually.eventually;
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
import io.vxcable.contracts.rpc.EnvResponse;
import io.vxcable.contracts.rpc.Status;
import io.vxcable.protocol.JsonText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway driving an application over cable.rpc.* (an application peer stands on the bus). */
class RpcFlowTest extends GatewayCase {

  static final String CHAT = "{\"channel\":\"ChatChannel\",\"room\":\"1\"}";
  final List<ConnectionRequest> connects = Collections.synchronizedList(new ArrayList<>());
  final CompletableFuture<DisconnectRequest> disconnected = new CompletableFuture<>();

  void application() throws Exception {
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m -> {
      connects.add(m.body());
      String url = m.body().getEnv().getUrl();
      String sid = m.headers().get(Addresses.HEADER_SID);
      if (url.contains("reject")) {
        m.reply(ConnectionResponse.newBuilder().setStatus(Status.FAILURE)
            .addTransmissions("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}").build());
      } else if (url.contains("error")) {
        m.reply(ConnectionResponse.newBuilder().setStatus(Status.ERROR).setErrorMsg("boom").build());
      } else {
        m.reply(ConnectionResponse.newBuilder().setStatus(Status.SUCCESS).setIdentifiers("{\"uid\":\"1\"}")
            .addTransmissions("{\"type\":\"welcome\",\"sid\":\"" + sid + "\"}")
            .setEnv(EnvResponse.newBuilder().putCstate("user", "ann")).build());
      }
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<CommandMessage>consumer(Addresses.RPC_COMMAND, m -> {
      CommandMessage c = m.body();
      String id = JsonText.quote(c.getIdentifier());
      CommandResponse.Builder r = CommandResponse.newBuilder().setStatus(Status.SUCCESS);
      switch (c.getCommand()) {
        case "subscribe" -> r.addTransmissions("{\"identifier\":" + id + ",\"message\":\"hello\"}")
            .addTransmissions("{\"identifier\":" + id + ",\"message\":\"world\"}")
            .addTransmissions("{\"identifier\":" + id + ",\"type\":\"confirm_subscription\"}")
            .addStreams("chat/1")
            .setEnv(EnvResponse.newBuilder().putIstate("count", "1").putIstate("$w", "chat/1"));
        case "message" -> {
          int count = Integer.parseInt(c.getEnv().getIstateOrDefault("count", "0")) + 2;
          r.addTransmissions("{\"identifier\":" + id + ",\"message\":{\"count\":" + count + ",\"user\":\""
                  + c.getEnv().getCstateOrDefault("user", "?") + "\",\"ids\":" + JsonText.quote(c.getConnectionIdentifiers()) + "}}")
              .setEnv(EnvResponse.newBuilder().putIstate("count", String.valueOf(count)));
        }
        default -> { }
      }
      m.reply(r.build());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<DisconnectRequest>consumer(Addresses.RPC_DISCONNECT, m -> disconnected.complete(m.body()))
        .completion().await(5, TimeUnit.SECONDS);
  }

  void deploy() throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("norpc", false).put("noauth", false)
        .put("public_streams", false).put("headers", "cookie,x-api-token"));
  }

  @Test
  void connectSubscribePerformAndDisconnectFollowTheApplication() throws Exception {
    application();
    deploy();
    TestClient c = TestClient.connect(vertx, port, "/cable?token=1", List.of("actioncable-v1-json"),
        Map.of("Cookie", "session=abc", "X-Api-Token", "t0k", "X-Other", "no"));
    assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    ConnectionRequest seen = connects.get(0);
    assertThat(seen.getEnv().getUrl()).isEqualTo("http://127.0.0.1:" + port + "/cable?token=1");
    assertThat(seen.getEnv().getHeadersMap()).containsEntry("cookie", "session=abc").containsEntry("x-api-token", "t0k")
        .containsEntry("REMOTE_ADDR", "127.0.0.1").doesNotContainKey("x-other");

    c.send(new JsonObject().put("command", "subscribe").put("identifier", CHAT));
    String q = JsonText.quote(CHAT);
    assertThat(c.next()).isEqualTo("{\"identifier\":" + q + ",\"message\":\"hello\"}");
    assertThat(c.next()).isEqualTo("{\"identifier\":" + q + ",\"message\":\"world\"}");
    assertThat(c.next()).isEqualTo("{\"identifier\":" + q + ",\"type\":\"confirm_subscription\"}");

    vertx.eventBus().publish(Addresses.broadcastAddress("chat/1"), StreamBroadcast.newBuilder().setStream("chat/1")
        .setMessage(ByteString.copyFromUtf8("{\"text\":\"hi\"}")).build());
    assertThat(c.next()).isEqualTo("{\"identifier\":" + q + ",\"message\":{\"text\":\"hi\"}}");

    c.send(new JsonObject().put("command", "message").put("identifier", CHAT).put("data", "{\"action\":\"tick\"}"));
    assertThat(new JsonObject(c.next()).getJsonObject("message").getInteger("count")).isEqualTo(3);
    c.send(new JsonObject().put("command", "message").put("identifier", CHAT).put("data", "{\"action\":\"tick\"}"));
    JsonObject second = new JsonObject(c.next()).getJsonObject("message");
    assertThat(second.getInteger("count")).as("channel state round-trips").isEqualTo(5);
    assertThat(second.getString("user")).as("connection state from Connect").isEqualTo("ann");
    assertThat(second.getString("ids")).isEqualTo("{\"uid\":\"1\"}");

    c.close();
    DisconnectRequest d = disconnected.get(10, TimeUnit.SECONDS);
    assertThat(d.getIdentifiers()).isEqualTo("{\"uid\":\"1\"}");
    assertThat(d.getSubscriptionsList()).containsExactly(CHAT);
    assertThat(new JsonObject(d.getEnv().getIstateMap().get(CHAT)).getString("count")).isEqualTo("5");
  }

  @Test
  void aRejectedConnectionIsUnauthorizedAndAFailedOneGetsAuthError() throws Exception {
    application();
    deploy();
    try (TestClient c = TestClient.connect(vertx, port, "/cable?reject=1", List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
    try (TestClient c = TestClient.connect(vertx, port, "/cable?error=1", List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.awaitClose()).isEqualTo((short) 1011);
    }
  }

  @Test
  void withoutAnyApplicationConnectionsCloseWithAuthError() throws Exception {
    deploy();
    try (TestClient c = TestClient.connect(vertx, port)) {
      assertThat(c.awaitClose()).isEqualTo((short) 1011);
    }
  }

  @Test
  void aSessionTheServerClosesWhileItsConnectWaitsCancelsIt() throws Exception {
    CompletableFuture<String> connecting = new CompletableFuture<>();
    CompletableFuture<String> canceled = new CompletableFuture<>();
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT,
        m -> connecting.complete(m.headers().get(Addresses.HEADER_SID))).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().consumer(Addresses.RPC_CANCEL, m -> canceled.complete(m.headers().get(Addresses.HEADER_SID)))
        .completion().await(5, TimeUnit.SECONDS);
    String gateway = GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("norpc", false).put("noauth", false)
        .put("public_streams", false).put("shutdown_timeout", 1));
    try (TestClient c = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-json"),
        Map.of("X-Request-ID", "req-7"))) {
      assertThat(connecting.get(10, TimeUnit.SECONDS)).isEqualTo("req-7");
      assertThat(canceled).isNotDone();
      // A restart: the session goes while its Connect still waits, so the call can be dropped.
      vertx.undeploy(gateway).await(10, TimeUnit.SECONDS);
      assertThat(canceled.get(10, TimeUnit.SECONDS)).isEqualTo("req-7");
    }
  }

  @Test
  void aSessionClosedOnItsAnswerCancelsNothing() throws Exception {
    List<String> canceled = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> hanging = new CompletableFuture<>();
    vertx.eventBus().<ConnectionRequest>consumer(Addresses.RPC_CONNECT, m -> {
      if (m.body().getEnv().getUrl().contains("error")) {
        m.reply(ConnectionResponse.newBuilder().setStatus(Status.ERROR).setErrorMsg("boom").build());
      } else {
        hanging.complete(m.headers().get(Addresses.HEADER_SID));
      }
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().consumer(Addresses.RPC_CANCEL, m -> canceled.add(m.headers().get(Addresses.HEADER_SID)))
        .completion().await(5, TimeUnit.SECONDS);
    String gateway = GatewayFixture.deploy(vertx, GatewayFixture.defaults(port).put("norpc", false).put("noauth", false)
        .put("public_streams", false).put("shutdown_timeout", 1));
    try (TestClient failed = TestClient.connect(vertx, port, "/cable?error=1", List.of("actioncable-v1-json"),
        Map.of("X-Request-ID", "req-answered"))) {
      assertThat(failed.awaitClose()).isEqualTo((short) 1011);
    }
    try (TestClient waiting = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-json"),
        Map.of("X-Request-ID", "req-waiting"))) {
      assertThat(hanging.get(10, TimeUnit.SECONDS)).isEqualTo("req-waiting");
      vertx.undeploy(gateway).await(10, TimeUnit.SECONDS);
      eventually(() -> assertThat(canceled).containsExactly("req-waiting"));
    }
  }
}
