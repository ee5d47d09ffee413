package io.vxcable.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden frames of both sub-protocols: no sockets, no Vert.x. */
class GraphqlConnectionTest {

  static final String ID1 = "{\"channel\":\"GraphqlChannel\",\"channelId\":\"1\"}";
  static final RequestInfo HANDSHAKE = new RequestInfo("http://h/graphql", Map.of("REMOTE_ADDR", "1.2.3.4"),
      Map.of(), null, "1.2.3.4", null);

  final GraphqlProtocol modern = new GraphqlProtocol(GraphqlProtocol.Flavor.TRANSPORT_WS, "GraphqlChannel", "execute", "jid");
  final GraphqlProtocol legacy = new GraphqlProtocol(GraphqlProtocol.Flavor.LEGACY, "GraphqlChannel", "execute", null);

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] frame) {
    return frame == null ? null : new String(frame, StandardCharsets.UTF_8);
  }

  static List<ClientCommand> decode(WireProtocol p, String frame) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    p.decode(b(frame), out::add);
    return out;
  }

  static String tx(String identifier, String message) {
    return new JsonObject().put("identifier", identifier).put("message", new JsonObject(message)).encode();
  }

  @Test
  void connectionInitCarriesItsPayloadAsTheApolloHeaderAndItsJwt() throws Exception {
    WireProtocol c = modern.forConnection(HANDSHAKE);
    assertThat(c.connectsOnFirstFrame()).isTrue();
    RequestInfo r = c.connectFrame(b("{\"type\":\"connection_init\",\"payload\":{\"token\":\"t\",\"jid\":\"J\"}}"), HANDSHAKE);
    assertThat(r.headers()).containsEntry("x-apollo-connection", "{\"token\":\"t\",\"jid\":\"J\"}")
        .containsEntry("REMOTE_ADDR", "1.2.3.4");
    assertThat(r.jwtToken()).isEqualTo("J");
    assertThat(r.url()).isEqualTo("http://h/graphql");

    RequestInfo withToken = new RequestInfo("u", Map.of(), Map.of(), "H", "", null);
    assertThat(c.connectFrame(b("{\"type\":\"connection_init\",\"payload\":{\"jid\":\"J\"}}"), withToken).jwtToken())
        .as("the handshake's token first").isEqualTo("H");
    assertThat(c.connectFrame(b("{\"type\":\"connection_init\"}"), HANDSHAKE)).isSameAs(HANDSHAKE);
    RequestInfo noJwt = legacy.forConnection(HANDSHAKE)
        .connectFrame(b("{\"type\":\"connection_init\",\"payload\":{\"jid\":\"J\"}}"), HANDSHAKE);
    assertThat(noJwt.jwtToken()).as("JWT off").isNull();
  }

  @Test
  void aFirstFrameOtherThanInitIsRefusedWithGraphqlWsCodes() {
    WireProtocol c = modern.forConnection(HANDSHAKE);
    assertThatThrownBy(() -> c.connectFrame(b("{\"type\":\"subscribe\",\"id\":\"1\"}"), HANDSHAKE))
        .isInstanceOf(ProtocolException.class);
    assertThat(c.close(1002, "Protocol Error")).isEqualTo(new WireProtocol.Close(4401, "Unauthorized"));
    WireProtocol d = modern.forConnection(HANDSHAKE);
    assertThatThrownBy(() -> d.connectFrame(b("nope"), HANDSHAKE)).isInstanceOf(ProtocolException.class);
    assertThat(d.close(1002, "Protocol Error").code()).isEqualTo(4400);
    WireProtocol old = legacy.forConnection(HANDSHAKE);
    assertThatThrownBy(() -> old.connectFrame(b("{\"type\":\"start\"}"), HANDSHAKE)).isInstanceOf(ProtocolException.class);
    assertThat(old.close(1002, "Protocol Error")).as("the engine's close").isNull();
  }

  @Test
  void aRefusedConnectionClosesWith4403AndAnAcceptedOneIsAcknowledgedOnce() {
    WireProtocol refused = modern.forConnection(HANDSHAKE);
    assertThat(refused.encode(new Reply.Transmission("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}")))
        .isNull();
    assertThat(refused.close(1000, "Auth Failed")).isEqualTo(new WireProtocol.Close(4403, "Forbidden"));
    assertThat(refused.close(1011, "Auth Error")).isNull();

    WireProtocol c = modern.forConnection(HANDSHAKE);
    assertThat(s(c.encode(new Reply.Transmission("{\"type\":\"welcome\"}")))).isEqualTo("{\"type\":\"connection_ack\"}");
    assertThat(c.encode(Reply.Welcome.of("sid"))).isNull();
    assertThat(c.close(1000, "Closed remotely")).as("after the ack, the engine's close").isNull();

    WireProtocol old = legacy.forConnection(HANDSHAKE);
    assertThat(s(old.encode(new Reply.Disconnect("unauthorized", false))))
        .isEqualTo("{\"type\":\"connection_error\",\"payload\":{\"message\":\"unauthorized\"}}");
    assertThat(old.close(1000, "Auth Failed")).isNull();
    WireProtocol acked = legacy.forConnection(HANDSHAKE);
    assertThat(s(acked.encode(Reply.Welcome.of("sid")))).isEqualTo("{\"type\":\"connection_ack\"}");
    assertThat(acked.encode(new Reply.Disconnect("server_restart", true))).isNull();
  }

  @Test
  void aQueryIsASubscriptionAndAnActionAnsweredByNextThenComplete() throws Exception {
    WireProtocol c = modern.forConnection(HANDSHAKE);
    List<ClientCommand> cmds = decode(c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hi }\","
        + "\"variables\":{\"a\":1},\"operationName\":null}}");
    assertThat(cmds).extracting(ClientCommand::command).containsExactly("subscribe", "message", "ping");
    assertThat(cmds.get(0).identifier()).isEqualTo(ID1);
    assertThat(cmds.get(1).identifier()).isEqualTo(ID1);
    assertThat(new JsonObject(cmds.get(1).dataString())).isEqualTo(new JsonObject()
        .put("action", "execute").put("query", "{ hi }").put("variables", new JsonObject().put("a", 1))
        .putNull("operationName"));
    assertThat(cmds.get(1).dataString()).startsWith("{\"action\":\"execute\",");

    assertThat(c.encode(new Reply.Transmission("{\"identifier\":" + io.vxcable.protocol.JsonText.quote(ID1)
        + ",\"type\":\"confirm_subscription\"}"))).isNull();
    assertThat(s(c.encode(new Reply.Transmission(tx(ID1, "{\"result\":{\"data\":{\"hi\":\"there\"}},\"more\":false}")))))
        .isEqualTo("{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"hi\":\"there\"}}}");
    assertThat(s(c.encode(new Reply.Pong()))).isEqualTo("{\"id\":\"1\",\"type\":\"complete\"}");

    // The finished operation is unsubscribed before the next one starts, and its id may be reused.
    List<ClientCommand> again = decode(c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hi }\"}}");
    assertThat(again).extracting(ClientCommand::command).containsExactly("unsubscribe", "subscribe", "message", "ping");
    assertThat(again.get(0).identifier()).isEqualTo(ID1);
  }

  @Test
  void aSubscriptionStaysOpenTakesBroadcastsAndIsStoppedByTheClient() throws Exception {
    WireProtocol c = legacy.forConnection(HANDSHAKE);
    assertThat(decode(c, "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { s }\"}}"))
        .extracting(ClientCommand::command).containsExactly("subscribe", "message", "ping");
    assertThat(c.encode(new Reply.Transmission(tx(ID1, "{\"result\":{\"data\":null},\"more\":true}"))))
        .as("graphql-anycable's answer to a new subscription says nothing").isNull();
    assertThat(c.encode(new Reply.Pong())).isNull();

    WireProtocol.BroadcastEncoder enc = c.broadcasts(ID1);
    StreamBroadcast bc = StreamBroadcast.newBuilder().setStream("graphql-subscription:x")
        .setMessage(ByteString.copyFromUtf8("{\"result\":{\"data\":{\"s\":1}},\"more\":true}")).build();
    assertThat(s(enc.encode(bc, c.payload(bc)))).isEqualTo("{\"id\":\"1\",\"type\":\"data\",\"payload\":{\"data\":{\"s\":1}}}");
    StreamBroadcast last = StreamBroadcast.newBuilder().setStream("x")
        .setMessage(ByteString.copyFromUtf8("{\"more\":false}")).build();
    assertThat(s(enc.encode(last, c.payload(last)))).isEqualTo("{\"id\":\"1\",\"type\":\"complete\"}");
    StreamBroadcast junk = StreamBroadcast.newBuilder().setStream("x").setMessage(ByteString.copyFromUtf8("[1]")).build();
    assertThat(enc.encode(junk, c.payload(junk))).isNull();

    assertThat(decode(c, "{\"id\":\"1\",\"type\":\"stop\"}")).singleElement()
        .satisfies(u -> assertThat(u.command()).isEqualTo("unsubscribe"))
        .satisfies(u -> assertThat(u.identifier()).isEqualTo(ID1));
    assertThat(decode(c, "{\"id\":\"1\",\"type\":\"stop\"}")).as("stopped once").isEmpty();
    assertThat(s(legacy.encode(new Reply.Ping(1)))).isEqualTo("{\"type\":\"ka\"}");
    assertThat(s(c.pingFormat().encode(new Reply.Ping(1)))).isEqualTo("{\"type\":\"ka\"}");
    assertThat(c.pingFormat()).isSameAs(legacy);
  }

  @Test
  void requestErrorsAndRejectionsEndTheOperationWithError() throws Exception {
    WireProtocol c = modern.forConnection(HANDSHAKE);
    decode(c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ nope }\"}}");
    assertThat(s(c.encode(new Reply.Transmission(tx(ID1, "{\"result\":{\"errors\":[{\"message\":\"bad\"}]},\"more\":false}")))))
        .isEqualTo("{\"id\":\"1\",\"type\":\"error\",\"payload\":[{\"message\":\"bad\"}]}");
    assertThat(c.encode(new Reply.Pong())).as("no complete after an error").isNull();

    decode(c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}");
    assertThat(s(c.encode(new Reply.RejectSubscription("{\"channel\":\"GraphqlChannel\",\"channelId\":\"2\"}"))))
        .isEqualTo("{\"id\":\"2\",\"type\":\"error\",\"payload\":[{\"message\":\"Subscription rejected\"}]}");
    assertThat(c.encode(new Reply.Pong())).isNull();
    assertThat(decode(c, "{\"id\":\"2\",\"type\":\"complete\"}")).as("nothing to unsubscribe").isEmpty();

    // Field errors next to data are a result, not a request error.
    decode(c, "{\"id\":\"3\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}");
    assertThat(s(c.encode(new Reply.Transmission(tx("{\"channel\":\"GraphqlChannel\",\"channelId\":\"3\"}",
        "{\"result\":{\"data\":null,\"errors\":[{\"message\":\"x\"}]},\"more\":false}")))))
        .startsWith("{\"id\":\"3\",\"type\":\"next\"");
  }

  @Test
  void pingsArePongedInOrderAndMalformedFramesAreDropped() throws Exception {
    WireProtocol c = modern.forConnection(HANDSHAKE);
    assertThat(decode(c, "{\"type\":\"ping\"}")).extracting(ClientCommand::command).containsExactly("ping");
    assertThat(s(c.encode(new Reply.Pong()))).isEqualTo("{\"type\":\"pong\"}");
    assertThat(decode(c, "{\"type\":\"pong\"}")).isEmpty();
    assertThat(s(c.encode(new Reply.Ping(5)))).isEqualTo("{\"type\":\"ping\"}");
    assertThatThrownBy(() -> decode(c, "[]")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode(c, "{\"type\":\"start\",\"id\":\"1\",\"payload\":{\"query\":\"q\"}}"))
        .as("a legacy message on graphql-ws").isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode(c, "{\"type\":\"subscribe\",\"id\":\"1\"}")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode(c, "{\"type\":\"subscribe\",\"id\":7,\"payload\":{\"query\":\"q\"}}"))
        .isInstanceOf(ProtocolException.class);
    decode(c, "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"q\"}}");
    assertThatThrownBy(() -> decode(c, "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"q\"}}"))
        .as("an id already running").isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode(legacy.forConnection(HANDSHAKE), "{\"type\":\"ping\"}"))
        .isInstanceOf(ProtocolException.class);
  }
}
