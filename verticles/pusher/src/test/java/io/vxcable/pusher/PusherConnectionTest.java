package io.vxcable.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pusher events to commands and replies to Pusher events, for one connection. */
class PusherConnectionTest {

  final PusherProtocol shared = new PusherProtocol(30);
  final PusherConnection c = (PusherConnection) shared.forConnection(
      new RequestInfo("ws://x/app/detox?protocol=7", Map.of(), Map.of(), null, "", null));

  List<ClientCommand> decode(String json) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    c.decode(json.getBytes(StandardCharsets.UTF_8), out::add);
    return out;
  }

  static JsonObject json(byte[] frame) {
    return new JsonObject(new String(frame, StandardCharsets.UTF_8));
  }

  @Test
  void socketIdsHavePushersShape() {
    assertThat(shared.sessionId("123.456")).isEqualTo("123.456");
    assertThat(shared.sessionId("abc")).matches("\\d+\\.\\d+");
    assertThat(shared.sessionId(null)).matches("\\d+\\.\\d+");
    assertThat(c.anonymous()).isTrue();
    assertThat(c.pings()).as("the client pings").isFalse();
    assertThat(c.broadcastFormat()).isSameAs(shared);
  }

  @Test
  void connectionEstablishedCarriesTheSocketIdAndTheActivityTimeout() {
    JsonObject e = json(c.encode(Reply.Welcome.of("1.2")));
    assertThat(e.getString("event")).isEqualTo("pusher:connection_established");
    assertThat(new JsonObject(e.getString("data")))
        .isEqualTo(new JsonObject().put("socket_id", "1.2").put("activity_timeout", 30));
  }

  @Test
  void pingsArePongedAndPongsIgnored() throws Exception {
    assertThat(decode("{\"event\":\"pusher:ping\",\"data\":{}}")).singleElement()
        .satisfies(cmd -> assertThat(cmd.command()).isEqualTo("ping"));
    assertThat(json(c.encode(new Reply.Pong())).getString("event")).isEqualTo("pusher:pong");
    assertThat(decode("{\"event\":\"pusher:pong\",\"data\":{}}")).isEmpty();
  }

  @Test
  void aPublicSubscribeSharesOneIdentifierAndSucceedsWithEmptyData() throws Exception {
    List<ClientCommand> out = decode("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\",\"auth\":\"\"}}");
    assertThat(out).singleElement().satisfies(cmd -> {
      assertThat(cmd.command()).isEqualTo("subscribe");
      assertThat(cmd.identifier()).isEqualTo(Channels.pusher("news", null, null));
    });
    JsonObject ok = json(c.encode(new Reply.ConfirmSubscription(out.get(0).identifier())));
    assertThat(ok).isEqualTo(new JsonObject().put("event", "pusher_internal:subscription_succeeded")
        .put("data", "{}").put("channel", "news"));

    assertThat(decode("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"news\"}}")).singleElement()
        .satisfies(cmd -> assertThat(cmd.identifier()).isEqualTo(out.get(0).identifier()));
  }

  @Test
  void aPresenceSubscribeAsksForItsMembersAndSucceedsWithThem() throws Exception {
    String data = "{\"user_id\":\"312\",\"user_info\":{\"name\":\"Vova\"}}";
    List<ClientCommand> out = decode(new JsonObject().put("event", "pusher:subscribe").put("data", new JsonObject()
        .put("channel", "presence-x").put("auth", "detox:sig").put("channel_data", data)).encode());
    assertThat(out).extracting(ClientCommand::command).containsExactly("subscribe", "presence");
    String id = out.get(0).identifier();
    assertThat(new JsonObject(id).getString("channel_data")).isEqualTo(data);
    assertThat(c.encode(new Reply.ConfirmSubscription(id))).as("waits for the members").isNull();
    JsonObject ok = json(c.encode(new Reply.PresenceInfo(id, 1, List.of(new Reply.PresenceRecord("312", "{\"name\":\"Vova\"}")))));
    assertThat(new JsonObject(ok.getString("data"))).isEqualTo(new JsonObject().put("presence", new JsonObject()
        .put("count", 1).put("ids", new io.vertx.core.json.JsonArray().add("312"))
        .put("hash", new JsonObject().put("312", new JsonObject().put("name", "Vova")))));
  }

  @Test
  void withoutPresenceTheMemberIsAloneAndItIsAddedWhenNotYetListed() throws Exception {
    String data = "{\"user_id\":7,\"user_info\":{\"n\":1}}";
    String id = decode(new JsonObject().put("event", "pusher:subscribe").put("data", new JsonObject()
        .put("channel", "presence-y").put("auth", "k:s").put("channel_data", data)).encode()).get(0).identifier();
    JsonObject alone = new JsonObject(json(c.encode(new Reply.PresenceError(id))).getString("data")).getJsonObject("presence");
    assertThat(alone.getInteger("count")).isEqualTo(1);
    assertThat(alone.getJsonObject("hash")).isEqualTo(new JsonObject().put("7", new JsonObject().put("n", 1)));
    JsonObject two = new JsonObject(json(c.encode(new Reply.PresenceInfo(id, 1,
        List.of(new Reply.PresenceRecord("8", null))))).getString("data")).getJsonObject("presence");
    assertThat(two.getInteger("count")).isEqualTo(2);
    assertThat(two.getJsonArray("ids")).containsExactly("8", "7");
  }

  @Test
  void clientEventsAreWhispersOfTheEventAndItsData() throws Exception {
    String id = decode("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"k:s\"}}").get(0).identifier();
    assertThat(decode("{\"event\":\"client-typing\",\"channel\":\"private-a\",\"data\":{\"who\":\"me\"}}")).singleElement()
        .satisfies(cmd -> {
          assertThat(cmd.command()).isEqualTo("whisper");
          assertThat(cmd.identifier()).isEqualTo(id);
          assertThat(new JsonObject(cmd.dataJson()))
              .isEqualTo(new JsonObject().put("event", "client-typing").put("data", new JsonObject().put("who", "me")));
        });
    assertThatThrownBy(() -> decode("{\"event\":\"client-typing\",\"channel\":\"private-b\",\"data\":{}}"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void rejectionsAndDisconnectsArePusherErrors() throws Exception {
    String id = decode("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"bad\"}}").get(0).identifier();
    assertThat(json(c.encode(new Reply.RejectSubscription(id)))).isEqualTo(new JsonObject().put("event", "pusher:error")
        .put("data", new JsonObject().put("message", "rejected").put("code", 4009)));
    assertThat(c.identifier("private-a")).as("forgotten: a client event on it is refused").isNull();
    assertThat(json(c.encode(new Reply.Disconnect("server_restart", true))).getJsonObject("data").getInteger("code"))
        .isEqualTo(4200);
    assertThat(json(c.encode(new Reply.Disconnect("unauthorized", false))).getJsonObject("data").getInteger("code"))
        .isEqualTo(4009);
  }

  @Test
  void malformedOrUnknownEventsAreProtocolErrors() {
    assertThatThrownBy(() -> decode("[1]")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode("{\"data\":{}}")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode("{\"event\":\"pusher:signin\",\"data\":{}}")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode("{\"event\":\"pusher:subscribe\",\"data\":{}}")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void broadcastsWithAnEventBecomeChannelEventsAndPresenceEventsMemberEvents() {
    WireProtocol.BroadcastEncoder news = shared.broadcasts(Channels.pusher("news", null, null));
    StreamBroadcast trigger = broadcast("{\"event\":\"test-event\",\"data\":\"{\\\"a\\\":1}\"}", "");
    assertThat(json(news.encode(trigger, shared.payload(trigger)))).isEqualTo(new JsonObject()
        .put("event", "test-event").put("channel", "news").put("data", "{\"a\":1}"));
    StreamBroadcast plain = broadcast("{\"text\":\"no event\"}", "");
    assertThat(news.encode(plain, shared.payload(plain))).isNull();

    WireProtocol.BroadcastEncoder vova = shared.broadcasts(
        Channels.pusher("presence-x", "k:s", "{\"user_id\":\"312\"}"));
    StreamBroadcast join = broadcast("{\"type\":\"join\",\"id\":\"42\",\"info\":{\"name\":\"Lolo\"}}", "presence");
    JsonObject added = json(vova.encode(join, shared.payload(join)));
    assertThat(added.getString("event")).isEqualTo("pusher_internal:member_added");
    assertThat(new JsonObject(added.getString("data")))
        .isEqualTo(new JsonObject().put("user_id", "42").put("user_info", new JsonObject().put("name", "Lolo")));
    StreamBroadcast leave = broadcast("{\"type\":\"leave\",\"id\":\"42\"}", "presence");
    assertThat(new JsonObject(json(vova.encode(leave, shared.payload(leave))).getString("data")))
        .isEqualTo(new JsonObject().put("user_id", "42"));
    StreamBroadcast self = broadcast("{\"type\":\"join\",\"id\":\"312\"}", "presence");
    assertThat(vova.encode(self, shared.payload(self))).as("not told of oneself").isNull();
  }

  static StreamBroadcast broadcast(String message, String type) {
    return StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8(message))
        .setBroadcastType(type).build();
  }
}
