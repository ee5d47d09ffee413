package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.Jwt;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.MessageVerifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JWT identification and the RPC-less channels, over real sockets. */
class IdentificationAndStreamsTest extends GatewayCase {

  static final String SECRET = "qwerty";

  void deploy(JsonObject overrides) throws Exception {
    GatewayFixture.deploy(vertx, GatewayFixture.defaults(port)
        .put("noauth", false).put("public_streams", false).put("jwt_secret", SECRET).put("streams_secret", SECRET)
        .mergeIn(overrides));
  }

  static String token(long exp) {
    return Jwt.signHs256("{\"ext\":\"{\\\"uid\\\":\\\"42\\\"}\",\"exp\":" + exp + "}", SECRET);
  }

  static long inAMinute() {
    return System.currentTimeMillis() / 1000 + 60;
  }

  @Test
  void aValidTokenInTheQueryHeaderOrSubProtocolIsWelcomed() throws Exception {
    deploy(new JsonObject().put("enforce_jwt", true));
    String t = token(inAMinute());
    try (TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + t, List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    }
    try (TestClient c = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-json"), Map.of("X-JID", t))) {
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    }
    try (TestClient c = TestClient.connect(vertx, port, "/cable",
        List.of("actioncable-v1-json", "anycable-token." + t), Map.of())) {
      assertThat(c.ws.subProtocol()).isEqualTo("actioncable-v1-json");
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    }
  }

  @Test
  void anExpiredTokenIsToldSoAndClosed() throws Exception {
    deploy(new JsonObject());
    try (TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + token(1_000), List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"token_expired\",\"reconnect\":false}");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
  }

  @Test
  void aForgedOrMissingTokenIsUnauthorized() throws Exception {
    deploy(new JsonObject().put("enforce_jwt", true));
    String forged = Jwt.signHs256("{\"ext\":\"{}\"}", "other");
    try (TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + forged, List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
      assertThat(c.awaitClose()).isEqualTo((short) 1000);
    }
    try (TestClient c = TestClient.connect(vertx, port)) {
      assertThat(c.next()).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
    }
  }

  @Test
  void aCustomJwtParamNamesTheQueryParameterAndTheHeader() throws Exception {
    deploy(new JsonObject().put("jwt_param", "token").put("enforce_jwt", true));
    String t = token(inAMinute());
    try (TestClient c = TestClient.connect(vertx, port, "/cable?token=" + t, List.of("actioncable-v1-json"), Map.of())) {
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    }
    try (TestClient c = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-json"), Map.of("X-Token", t))) {
      assertThat(c.nextJson().getString("type")).isEqualTo("welcome");
    }
  }

  @Test
  void signedStreamsAreVerifiedAndUnsignedOnesNeedPublicStreams() throws Exception {
    deploy(new JsonObject());
    String signed = new MessageVerifier(SECRET).generate("chat/2");
    String good = new JsonObject().put("channel", "$pubsub").put("signed_stream_name", signed).encode();
    String bad = new JsonObject().put("channel", "$pubsub").put("signed_stream_name", signed + "0").encode();
    String unsigned = new JsonObject().put("channel", "$pubsub").put("stream_name", "chat/2").encode();
    try (TestClient c = TestClient.connect(vertx, port, "/cable?jid=" + token(inAMinute()), List.of("actioncable-v1-json"), Map.of())) {
      c.next();
      assertThat(c.subscribe(good)).isEqualTo("{\"type\":\"confirm_subscription\",\"identifier\":" + JsonText.quote(good) + "}");
      assertThat(c.subscribe(bad)).isEqualTo("{\"type\":\"reject_subscription\",\"identifier\":" + JsonText.quote(bad) + "}");
      assertThat(c.subscribe(unsigned)).contains("reject_subscription");
      vertx.eventBus().publish(Addresses.broadcastAddress("chat/2"), StreamBroadcast.newBuilder()
          .setStream("chat/2").setMessage(ByteString.copyFromUtf8("\"hi\"")).build());
      assertThat(c.next()).isEqualTo("{\"identifier\":" + JsonText.quote(good) + ",\"message\":\"hi\"}");
    }
  }

  @Test
  void presenceOnSignedStreamsFollowsStreamsPresence() throws Exception {
    String id = new JsonObject().put("channel", "$pubsub")
        .put("signed_stream_name", new MessageVerifier(SECRET).generate("lobby")).encode();
    String presence = new JsonObject().put("command", "presence").put("identifier", id).encode();
    // No presence verticle here: a presence-enabled subscription gets anycable-go's error reply...
    deploy(new JsonObject().put("noauth", true).put("streams_presence", true));
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      assertThat(c.subscribe(id)).contains("confirm_subscription");
      c.send(presence);
      assertThat(c.next()).isEqualTo("{\"type\":\"presence\",\"identifier\":" + JsonText.quote(id)
          + ",\"message\":{\"type\":\"error\",\"total\":0}}");
    }
    vertx.deploymentIDs().forEach(d -> TestClient.await(vertx.undeploy(d)));
    // ...and without --streams_presence a signed stream has no presence at all: no reply.
    deploy(new JsonObject().put("noauth", true).put("streams_presence", false));
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      assertThat(c.subscribe(id)).contains("confirm_subscription");
      c.send(presence);
      c.expectSilence(500);
    }
  }

  @Test
  void whispersOnSignedStreamsNeedStreamsWhisper() throws Exception {
    deploy(new JsonObject().put("noauth", true));
    String id = new JsonObject().put("channel", "$pubsub")
        .put("signed_stream_name", new MessageVerifier(SECRET).generate("room")).encode();
    try (TestClient a = TestClient.connect(vertx, port); TestClient b = TestClient.connect(vertx, port)) {
      a.next();
      b.next();
      a.subscribe(id);
      b.subscribe(id);
      a.send(new JsonObject().put("command", "whisper").put("identifier", id).put("data", "psst"));
      b.expectSilence(300);
    }
  }

  @Test
  void turboAndCableReadyStreamsUseTheirOwnSecrets() throws Exception {
    deploy(new JsonObject().put("noauth", true).put("turbo_streams", true).put("turbo_streams_secret", "turbo")
        .put("cable_ready", true).put("cable_ready_secret", "cr"));
    String turbo = new JsonObject().put("channel", "Turbo::StreamsChannel")
        .put("signed_stream_name", new MessageVerifier("turbo").generate("posts")).encode();
    String turboBad = new JsonObject().put("channel", "Turbo::StreamsChannel")
        .put("signed_stream_name", new MessageVerifier(SECRET).generate("posts")).encode();
    String cableReady = new JsonObject().put("channel", "CableReady::Stream")
        .put("identifier", new MessageVerifier("cr").generate("feed")).encode();
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      assertThat(c.subscribe(turbo)).contains("confirm_subscription");
      assertThat(c.subscribe(turboBad)).contains("reject_subscription");
      assertThat(c.subscribe(cableReady)).contains("confirm_subscription");
      // Unknown channels go to the fallback: with --norpc they are rejected.
      assertThat(c.subscribe("{\"channel\":\"ChatChannel\"}")).contains("reject_subscription");
    }
  }

  @Test
  void historyWithoutABrokerIsRejectedAfterTheConfirmation() throws Exception {
    deploy(new JsonObject().put("noauth", true).put("public_streams", true));
    String id = new JsonObject().put("channel", "$pubsub").put("stream_name", "h").encode();
    try (TestClient c = TestClient.connect(vertx, port, "/cable", List.of("actioncable-v1-ext-json"), Map.of())) {
      c.next();
      c.send(new JsonObject().put("command", "subscribe").put("identifier", id)
          .put("history", new JsonObject().put("since", 1).put("streams", new JsonObject())));
      assertThat(c.next()).contains("confirm_subscription");
      assertThat(c.next()).isEqualTo("{\"type\":\"reject_history\",\"identifier\":" + JsonText.quote(id) + "}");
      c.send(new JsonObject().put("command", "presence").put("identifier", id).put("data", new JsonObject()));
      assertThat(c.next()).isEqualTo("{\"type\":\"presence\",\"identifier\":" + JsonText.quote(id)
          + ",\"message\":{\"type\":\"error\",\"total\":0}}");
    }
  }

  @Test
  void anOversizedMessageClosesTheConnection() throws Exception {
    deploy(new JsonObject().put("noauth", true).put("max_message_size", 1024));
    try (TestClient c = TestClient.connect(vertx, port)) {
      c.next();
      c.send("{\"command\":\"message\",\"data\":\"" + "x".repeat(4096) + "\"}");
      assertThat(c.awaitClose()).isIn((short) 1009, (short) 1006);
    }
  }
}
