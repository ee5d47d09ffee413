package io.vxcable.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OCPP-J frames both ways, with golden values: no sockets, no Vert.x. */
class OcppProtocolTest {

  static final String BOOT = "[2,\"b1\",\"BootNotification\",{\"chargePointVendor\":\"acme\",\"chargePointModel\":\"m1\","
      + "\"meterSerialNumber\":\"SN-1\"}]";
  static final String IDENTIFIER = "{\"channel\":\"OCPPChannel\",\"sn\":\"SN-1\",\"station_id\":\"CS-001\"}";
  static final ClientCommand PING = new ClientCommand("ping", null, null, null, null, null);

  final OcppProtocol shared = new OcppProtocol(true, 7);
  final WireProtocol station = connection(shared, "http://localhost:8080/ocpp/CS-001?x=1");

  static WireProtocol connection(OcppProtocol p, String url) {
    return p.forConnection(new RequestInfo(url, Map.of(), Map.of(), null, "127.0.0.1", null));
  }

  static List<ClientCommand> decode(WireProtocol p, String frame) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    p.decode(frame.getBytes(StandardCharsets.UTF_8), out::add);
    return out;
  }

  static String text(byte[] frame) {
    return frame == null ? null : new String(frame, StandardCharsets.UTF_8);
  }

  static ClientCommand message(String data) {
    return new ClientCommand("message", IDENTIFIER, new JsonObject(data).encode(), null, null, null);
  }

  String pong() {
    return text(station.encode(new Reply.Pong()));
  }

  @Test
  void theStationIdIsTheLastPathSegmentUrlDecoded() {
    assertThat(OcppProtocol.stationId("http://h/ocpp/CS-001")).isEqualTo("CS-001");
    assertThat(OcppProtocol.stationId("https://h:1/a/b/CS%20%2F2?q=1")).isEqualTo("CS /2");
  }

  @Test
  void bootSubscribesPerformsBootNotificationAndIsAcceptedByDefault() throws Exception {
    assertThat(decode(station, BOOT)).containsExactly(
        new ClientCommand("subscribe", IDENTIFIER, null, null, null, null),
        message("{\"action\":\"boot_notification\",\"id\":\"b1\",\"command\":\"BootNotification\",\"payload\":"
            + "{\"chargePointVendor\":\"acme\",\"chargePointModel\":\"m1\",\"meterSerialNumber\":\"SN-1\"}}"),
        PING);
    assertThat(station.encode(Reply.Welcome.of("s1"))).isNull();
    assertThat(station.encode(new Reply.ConfirmSubscription(IDENTIFIER))).isNull();
    JsonArray ack = new JsonArray(pong());
    assertThat(ack.getInteger(0)).isEqualTo(3);
    assertThat(ack.getString(1)).isEqualTo("b1");
    JsonObject payload = ack.getJsonObject(2);
    assertThat(payload.getString("status")).isEqualTo("Accepted");
    assertThat(payload.getInteger("interval")).isEqualTo(7);
    assertThat(Instant.parse(payload.getString("currentTime"))).isBetween(Instant.now().minusSeconds(5), Instant.now());
    assertThat(pong()).as("one answer per call").isNull();
  }

  @Test
  void aStationWithoutMeterSerialNumberIsNamedByItsId() throws Exception {
    List<ClientCommand> out = decode(station, "[2,\"b\",\"BootNotification\",{\"chargePointVendor\":\"a\"}]");
    assertThat(new JsonObject(out.get(0).identifier()))
        .isEqualTo(new JsonObject().put("channel", "OCPPChannel").put("sn", "CS-001").put("station_id", "CS-001"));
  }

  @Test
  void aRejectedSubscriptionRejectsTheBootAndLaterCalls() throws Exception {
    decode(station, BOOT);
    assertThat(station.encode(new Reply.Transmission("{\"identifier\":\"x\",\"type\":\"reject_subscription\"}"))).isNull();
    assertThat(new JsonArray(pong()).getJsonObject(2).getString("status")).isEqualTo("Rejected");
    assertThat(decode(station, "[2,\"a1\",\"Authorize\",{\"idTag\":\"t\"}]")).containsExactly(PING);
    assertThat(pong()).isEqualTo("[4,\"a1\",\"SecurityError\",\"the station was rejected\",{}]");
  }

  @Test
  void laterCallsBecomeSnakeCasedActionsAcceptedUnlessTheApplicationAcks() throws Exception {
    decode(station, BOOT);
    pong();
    assertThat(decode(station, "[2,\"s1\",\"StatusNotification\",{\"connectorId\":1,\"status\":\"Available\"}]"))
        .containsExactly(message("{\"action\":\"status_notification\",\"id\":\"s1\",\"command\":\"StatusNotification\","
            + "\"payload\":{\"connectorId\":1,\"status\":\"Available\"}}"), PING);
    assertThat(pong()).isEqualTo("[3,\"s1\",{\"status\":\"Accepted\"}]");

    decode(station, "[2,\"t1\",\"StartTransaction\",{\"idTag\":\"t\",\"connectorId\":1}]");
    // The channel's transmit_ack arrives wrapped in the subscription's identifier.
    assertThat(text(station.encode(new Reply.Transmission("{\"identifier\":" + new JsonArray().add(IDENTIFIER).encode()
        .replaceAll("^\\[|\\]$", "") + ",\"message\":{\"command\":\"Ack\",\"id\":\"t1\",\"payload\":{\"transactionId\":5}}}"))))
        .isEqualTo("[3,\"t1\",{\"transactionId\":5}]");
    assertThat(pong()).as("acknowledged by the application: no default answer").isNull();
  }

  @Test
  void heartbeatIsAnsweredWithTheCurrentTimeWithoutTheApplication() throws Exception {
    assertThat(decode(station, "[2,\"h1\",\"Heartbeat\",{}]")).containsExactly(PING);
    JsonArray ack = new JsonArray(pong());
    assertThat(ack.getString(1)).isEqualTo("h1");
    assertThat(ack.getJsonObject(2).fieldNames()).containsExactly("currentTime");
  }

  @Test
  void resultsAndErrorsOfTheStationReachAckAndError() throws Exception {
    decode(station, BOOT);
    assertThat(decode(station, "[3,\"r1\",{\"status\":\"Accepted\"}]")).containsExactly(
        message("{\"action\":\"ack\",\"id\":\"r1\",\"command\":\"Ack\",\"payload\":{\"status\":\"Accepted\"}}"));
    assertThat(decode(station, "[4,\"r2\",\"NotSupported\",\"no\",{\"k\":1}]")).containsExactly(
        message("{\"action\":\"error\",\"id\":\"r2\",\"command\":\"Error\",\"code\":\"NotSupported\",\"message\":\"no\","
            + "\"payload\":{\"k\":1}}"));
  }

  @Test
  void singleActionModeLeavesTheActionOutSoReceiveGetsEverything() throws Exception {
    WireProtocol single = connection(new OcppProtocol(false, 3), "ws://h/ocpp/CS-001");
    List<ClientCommand> out = decode(single, BOOT);
    assertThat(new JsonObject(out.get(1).dataString()).fieldNames()).containsExactly("id", "command", "payload");
  }

  @Test
  void malformedFramesAreAnsweredWithCallErrorAndDropped() throws Exception {
    String[][] cases = {
        {"not json", "[4,\"-1\",\"FormationViolation\",\"a frame must be a JSON array\",{}]"},
        {"[2]", "[4,\"-1\",\"FormationViolation\",\"a frame is [type, id, ...] with a numeric type and a string id\",{}]"},
        {"[2,\"c1\",\"Authorize\"]", "[4,\"c1\",\"FormationViolation\",\"a CALL is [2, id, action, {payload}]\",{}]"},
        {"[2,\"c2\",\"Authorize\",[1]]", "[4,\"c2\",\"FormationViolation\",\"a CALL is [2, id, action, {payload}]\",{}]"},
        {"[9,\"c3\"]", "[4,\"c3\",\"ProtocolError\",\"unknown message type 9\",{}]"},
    };
    for (String[] c : cases) {
      List<ClientCommand> out = new ArrayList<>();
      assertThatThrownBy(() -> station.decode(c[0].getBytes(StandardCharsets.UTF_8), out::add))
          .as(c[0]).isInstanceOf(ProtocolException.class);
      assertThat(out).as(c[0]).containsExactly(PING);
      assertThat(pong()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void callsBeforeBootAreRefused() throws Exception {
    assertThat(decode(station, "[2,\"a\",\"Authorize\",{}]")).containsExactly(PING);
    assertThat(pong()).isEqualTo("[4,\"a\",\"SecurityError\",\"BootNotification first\",{}]");
    assertThatThrownBy(() -> decode(station, "[3,\"r\",{}]")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void commandsTheApplicationTransmitsOrBroadcastsAreCalls() {
    assertThat(text(station.encode(new Reply.Transmission(
        "{\"identifier\":\"x\",\"message\":{\"command\":\"Reset\",\"id\":\"r1\",\"payload\":{\"type\":\"Soft\"}}}"))))
        .isEqualTo("[2,\"r1\",\"Reset\",{\"type\":\"Soft\"}]");
    assertThat(text(station.encode(new Reply.Transmission(
        "{\"message\":{\"command\":\"Error\",\"id\":\"e1\",\"code\":\"NotSupported\",\"message\":\"nope\"}}"))))
        .isEqualTo("[4,\"e1\",\"NotSupported\",\"nope\",{}]");
    assertThat(station.encode(new Reply.Transmission("{\"type\":\"welcome\"}"))).isNull();

    StreamBroadcast b = StreamBroadcast.newBuilder().setStream("ev/SN-1")
        .setMessage(ByteString.copyFromUtf8("{\"command\":\"TriggerMessage\",\"id\":\"\",\"payload\":"
            + "{\"requestedMessage\":\"BootNotification\"}}")).build();
    assertThat(station.broadcastFormat()).isSameAs(shared);
    JsonArray call = new JsonArray(text(shared.broadcasts(IDENTIFIER).encode(b, shared.payload(b))));
    assertThat(call.getInteger(0)).isEqualTo(2);
    assertThat(call.getString(1)).as("an empty id gets a fresh one").isNotEmpty();
    assertThat(call.getString(2)).isEqualTo("TriggerMessage");
    assertThat(call.getJsonObject(3)).isEqualTo(new JsonObject().put("requestedMessage", "BootNotification"));
    StreamBroadcast junk = b.toBuilder().setMessage(ByteString.copyFromUtf8("\"text\"")).build();
    assertThat(shared.broadcasts(IDENTIFIER).encode(junk, shared.payload(junk))).isNull();
  }

  @Test
  void noPingsAndNoFramesForTheEnginesOwnReplies() {
    assertThat(station.pings()).isFalse();
    assertThat(station.name()).isEqualTo("ocpp1.6");
    assertThat(station.encode(new Reply.Ping(1))).isNull();
    assertThat(station.encode(new Reply.Disconnect("server_restart", true))).isNull();
  }

  @Test
  void actionsAreSnakeCased() {
    assertThat(OcppProtocol.snake("StatusNotification")).isEqualTo("status_notification");
    assertThat(OcppProtocol.snake("DiagnosticsStatusNotification")).isEqualTo("diagnostics_status_notification");
    assertThat(OcppProtocol.snake("MeterValues")).isEqualTo("meter_values");
    assertThat(OcppProtocol.snake("Authorize")).isEqualTo("authorize");
  }
}
