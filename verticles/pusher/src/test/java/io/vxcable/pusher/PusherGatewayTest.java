package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.gateway.GatewayVerticle;
import io.vxcable.presence.PresenceVerticle;
import io.vxcable.testkit.FreePorts;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The translator mounted on a gateway's main port ({@code --pusher_app_id=my-id
 * --pusher_app_key=detox --pusher_secret=oaugc1}, anycable-go's feature test), with the presence
 * verticle (memory) on the bus: connection, ping, public channels and broadcasts, private channels'
 * signatures, client events to the others only, presence members.
 */
class PusherGatewayTest {

  Vertx vertx;
  int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BusCodecs.ensureRegistered(vertx);
    port = FreePorts.next();
    JsonObject conf = new JsonObject().put("host", "127.0.0.1").put("port", port).put("pusher_app_id", "my-id")
        .put("pusher_app_key", "detox").put("pusher_secret", PusherTestClient.SECRET).put("http_broadcast_port", FreePorts.next()).put("shutdown_timeout", 1);
    vertx.deployVerticle(new PresenceVerticle(), new DeploymentOptions().setConfig(
        Settings.fromVerticleConfig(new JsonObject().put("broker", "memory"), Map.of()).toJson())).await(20, TimeUnit.SECONDS);
    vertx.deployVerticle(new GatewayVerticle(),
        new DeploymentOptions().setConfig(Settings.fromVerticleConfig(conf, Map.of()).toJson())).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  PusherTestClient client(String requestId) throws Exception {
    return new PusherTestClient(vertx, port, requestId);
  }

  static String sign(String text) throws Exception {
    return PusherTestClient.sign(text);
  }

  void publish(String stream, String message) {
    vertx.eventBus().publish(Addresses.broadcastAddress(stream), StreamBroadcast.newBuilder().setStream(stream)
        .setMessage(ByteString.copyFromUtf8(message)).build());
  }

  @Test
  void aPublicChannelGetsTriggeredEventsAndPings() throws Exception {
    PusherTestClient c = client(null);
    assertThat(c.socketId).matches("\\d+\\.\\d+");
    c.send(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    assertThat(c.next().getString("event")).isEqualTo("pusher:pong");

    c.subscribe("test-pusher-channel", "", null);
    assertThat(c.subscribed("test-pusher-channel")).isEqualTo(new JsonObject());
    // What the HTTP API publishes for a trigger: the event and its data (a string).
    // subscription_succeeded comes once the hub listens: no retry needed.
    publish("test-pusher-channel", "{\"event\":\"test-event\",\"data\":\"{\\\"message\\\":\\\"hi\\\"}\"}");
    JsonObject e = c.next();
    assertThat(e.getString("event")).isEqualTo("test-event");
    assertThat(e.getString("channel")).isEqualTo("test-pusher-channel");
    assertThat(e.getString("data")).isEqualTo("{\"message\":\"hi\"}");
    publish("test-pusher-channel", "{\"no_event\":1}");
    c.send(new JsonObject().put("event", "pusher:unsubscribe").put("data", new JsonObject().put("channel", "test-pusher-channel")));
    c.send(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    assertThat(c.next().getString("event")).as("a message without an event is not sent").isEqualTo("pusher:pong");
  }

  @Test
  void privateChannelsNeedTheSignatureAndClientEventsReachTheOthersOnly() throws Exception {
    PusherTestClient a = client("1234.1111");
    PusherTestClient b = client("1234.2222");
    PusherTestClient forger = client("1234.3333");
    assertThat(a.socketId).isEqualTo("1234.1111");

    forger.subscribe("private-test", sign("1234.1111:private-test"), null);
    JsonObject refused = forger.next();
    assertThat(refused.getString("event")).isEqualTo("pusher:error");
    assertThat(refused.getJsonObject("data")).isEqualTo(new JsonObject().put("message", "rejected").put("code", 4009));

    a.subscribe("private-test", sign("1234.1111:private-test"), null);
    assertThat(a.subscribed("private-test")).isEqualTo(new JsonObject());
    b.subscribe("private-test", sign("1234.2222:private-test"), null);
    assertThat(b.subscribed("private-test")).isEqualTo(new JsonObject());

    a.send(new JsonObject().put("event", "client-forgotten").put("channel", "private-test")
        .put("data", new JsonObject().put("who", "a")));
    JsonObject got = b.next();
    assertThat(got.getString("event")).isEqualTo("client-forgotten");
    assertThat(got.getString("channel")).isEqualTo("private-test");
    assertThat(got.getJsonObject("data")).isEqualTo(new JsonObject().put("who", "a"));
    a.send(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    assertThat(a.next().getString("event")).as("the sender gets no echo").isEqualTo("pusher:pong");
  }

  @Test
  void presenceChannelsListTheirMembersAndTellOfArrivalsAndDepartures() throws Exception {
    PusherTestClient a = client("1.1");
    String vova = "{\"user_id\":\"312\",\"user_info\":{\"name\":\"Vova\"}}";
    a.subscribe("presence-test", sign("1.1:presence-test:" + vova), vova);
    assertThat(a.subscribed("presence-test")).isEqualTo(new JsonObject().put("presence", new JsonObject()
        .put("count", 1).put("ids", new io.vertx.core.json.JsonArray().add("312"))
        .put("hash", new JsonObject().put("312", new JsonObject().put("name", "Vova")))));

    PusherTestClient b = client("1.2");
    String lolo = "{\"user_id\":\"42\",\"user_info\":{\"name\":\"Lolo\"}}";
    b.subscribe("presence-test", sign("1.2:presence-test:" + lolo), lolo);
    JsonObject members = b.subscribed("presence-test").getJsonObject("presence");
    assertThat(members.getInteger("count")).isEqualTo(2);
    assertThat(members.getJsonArray("ids")).containsExactlyInAnyOrder("312", "42");

    JsonObject added = a.next();
    assertThat(added.getString("event")).isEqualTo("pusher_internal:member_added");
    assertThat(added.getString("channel")).isEqualTo("presence-test");
    assertThat(new JsonObject(added.getString("data")))
        .isEqualTo(new JsonObject().put("user_id", "42").put("user_info", new JsonObject().put("name", "Lolo")));

    b.send(new JsonObject().put("event", "pusher:ping").put("data", new JsonObject()));
    assertThat(b.next().getString("event")).as("no member_added for oneself").isEqualTo("pusher:pong");

    b.send(new JsonObject().put("event", "pusher:unsubscribe").put("data", new JsonObject().put("channel", "presence-test")));
    JsonObject removed = a.next();
    assertThat(removed.getString("event")).isEqualTo("pusher_internal:member_removed");
    assertThat(new JsonObject(removed.getString("data"))).isEqualTo(new JsonObject().put("user_id", "42"));
  }
}
