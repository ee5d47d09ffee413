package io.vxcable.session.wire;

import static io.vxcable.session.wire.MsgpackClient.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.testkit.WireProtocolContract;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Action Cable over msgpack (plain and extended) against the wire-protocol contract, plus its golden bytes. */
class ActionCableMsgpackTest {

  abstract static class Msgpack extends WireProtocolContract {
    @Override
    protected byte[] clientFrame(Map<String, Object> command) {
      return MsgpackClient.pack(command);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> read(byte[] frame) {
      return (Map<String, Object>) MsgpackClient.unpack(frame);
    }

    @Override
    protected List<byte[]> malformedFrames() {
      return List.of(
          new byte[] {(byte) 0xc1},                                     // a byte msgpack never uses
          MsgpackClient.pack(List.of(1, 2)),                            // not a map
          MsgpackClient.pack(map("command", 1)),                        // command not a string
          golden(0x81, "command", 0xa3, 0xff, 0xfe, 0xfd),              // a string that is not UTF-8
          golden(0x82, "command"),                                      // truncated
          concat(MsgpackClient.pack(map("command", "pong")), new byte[] {0x01}), // trailing data
          MsgpackClient.pack(map("command", "history", "history", map("since", 1.5))),
          MsgpackClient.pack(map("command", "history", "history", map("streams", map("s", map("offset", -1))))),
          golden(0x83, "command", "whisper", "identifier", "i", "data", 0xd4, 0x01, 0x00)); // an extension type
    }
  }

  @Nested
  class Plain extends Msgpack {
    @Override
    protected WireProtocol protocol() {
      return ActionCableMsgpack.V1;
    }
  }

  @Nested
  class Extended extends Msgpack {
    @Override
    protected WireProtocol protocol() {
      return ActionCableMsgpack.EXT;
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static ClientCommand decode(byte[] frame) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    ActionCableMsgpack.EXT.decode(frame, out::add);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void bothProtocolsAreBinaryAndOnlyTheExtendedOneResumes() {
    assertThat(ActionCableMsgpack.V1.name()).isEqualTo("actioncable-v1-msgpack");
    assertThat(ActionCableMsgpack.EXT.name()).isEqualTo("actioncable-v1-ext-msgpack");
    assertThat(ActionCableMsgpack.V1.binary()).isTrue();
    assertThat(ActionCableMsgpack.EXT.binary()).isTrue();
    assertThat(ActionCableMsgpack.V1.extended()).isFalse();
    assertThat(ActionCableMsgpack.EXT.extended()).isTrue();
  }

  @Test
  void repliesAreTheJsonFieldsInTheJsonOrder() {
    assertThat(ActionCableMsgpack.V1.encode(Reply.Welcome.of("abc")))
        .isEqualTo(golden(0x82, "type", "welcome", "sid", "abc"));
    assertThat(ActionCableMsgpack.EXT.encode(new Reply.Welcome("abc", true, List.of("i1"))))
        .isEqualTo(golden(0x84, "type", "welcome", "sid", "abc", "restored", 0xc3, "restored_ids", 0x91, "i1"));
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Disconnect("unauthorized", false)))
        .isEqualTo(golden(0x83, "type", "disconnect", "reason", "unauthorized", "reconnect", 0xc2));
    assertThat(ActionCableMsgpack.V1.encode(new Reply.ConfirmSubscription("{\"channel\":\"C\"}")))
        .isEqualTo(golden(0x82, "type", "confirm_subscription", "identifier", "{\"channel\":\"C\"}"));
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Ping(1700000000)))
        .isEqualTo(golden(0x82, "type", "ping", "message", 0xce, 0x65, 0x53, 0xf1, 0x00));
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Pong())).isEqualTo(golden(0x81, "type", "pong"));
    assertThat(ActionCableMsgpack.EXT.encode(new Reply.RejectHistory("i")))
        .isEqualTo(golden(0x82, "type", "reject_history", "identifier", "i"));
  }

  @Test
  void presenceAnswersCarryTheJsonMessageAsAMap() {
    assertThat(ActionCableMsgpack.EXT.encode(new Reply.PresenceInfo("i", 1, List.of(new Reply.PresenceRecord("u1", "{\"n\":1}")))))
        .isEqualTo(golden(0x83, "type", "presence", "identifier", "i", "message",
            0x83, "type", "info", "total", 0x01, "records", 0x91, 0x82, "info", 0x81, "n", 0x01, "id", "u1"));
    assertThat(MsgpackClient.unpack(ActionCableMsgpack.EXT.encode(new Reply.PresenceInfo("i", 2, null))))
        .isEqualTo(map("type", "presence", "identifier", "i", "message", map("type", "info", "total", 2L)));
    assertThat(MsgpackClient.unpack(ActionCableMsgpack.EXT.encode(new Reply.PresenceError("i"))))
        .isEqualTo(map("type", "presence", "identifier", "i", "message", map("type", "error", "total", 0L)));
  }

  @Test
  void transmissionsAreReEncodedFromJsonAndOnesThatAreNotJsonAreNotSent() {
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Transmission("{\"identifier\":\"x\",\"message\":{\"n\":1.5,\"l\":[true,null]}}")))
        .isEqualTo(golden(0x82, "identifier", "x", "message", 0x82, "n", 0xcb,
            new byte[] {0x3f, (byte) 0xf8, 0, 0, 0, 0, 0, 0}, "l", 0x92, 0xc3, 0xc0));
    assertThat(MsgpackClient.unpack(ActionCableMsgpack.V1.encode(new Reply.Transmission("{\"big\":18446744073709551615}"))))
        .isEqualTo(map("big", new BigInteger("18446744073709551615")));
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Transmission("not json"))).isNull();
    assertThat(ActionCableMsgpack.V1.encode(new Reply.Transmission("{\"a\":1} trailing"))).isNull();
  }

  @Test
  void broadcastsAreTheJsonFieldsSharedByBothProtocols() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("{\"a\":1}"))
        .setEpoch("e").setOffset(3).build();
    WireProtocol format = ActionCableMsgpack.EXT.broadcastFormat();
    assertThat(format).isSameAs(ActionCableMsgpack.V1.broadcastFormat()).isSameAs(ActionCableMsgpack.V1);
    assertThat(format.broadcasts("i").encode(m, format.payload(m)))
        .isEqualTo(golden(0x85, "identifier", "i", "message", 0x81, "a", 0x01, "stream_id", "s", "epoch", "e", "offset", 0x03));
    StreamBroadcast typed = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("\"x\""))
        .setBroadcastType("presence").build();
    assertThat(format.broadcasts("i").encode(typed, format.payload(typed)))
        .isEqualTo(golden(0x83, "type", "presence", "identifier", "i", "message", "x"));
  }

  @Test
  void anOffsetPast63BitsStaysUnsigned() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("1"))
        .setEpoch("e").setOffset(-1L).build();
    WireProtocol format = ActionCableMsgpack.V1;
    Object frame = MsgpackClient.unpack(format.broadcasts("i").encode(m, format.payload(m)));
    assertThat(((Map<?, ?>) frame).get("offset")).isEqualTo(new BigInteger("18446744073709551615"));
  }

  @Test
  void whatAnycableCoreSendsIsDecoded() throws Exception {
    // @ygoe/msgpack's bytes for {command: 'subscribe', identifier: 'x'}
    ClientCommand subscribe = decode(golden(0x82, "command", "subscribe", "identifier", "x"));
    assertThat(subscribe.command()).isEqualTo("subscribe");
    assertThat(subscribe.identifier()).isEqualTo("x");
    // {command: 'subscribe', identifier: 'x', history: {since: 1700000000, streams: {s: {epoch: 'e', offset: 3}}}}
    ClientCommand resumed = decode(golden(0x83, "command", "subscribe", "identifier", "x", "history",
        0x82, "since", 0xce, 0x65, 0x53, 0xf1, 0x00, "streams", 0x81, "s", 0x82, "epoch", "e", "offset", 0x03));
    assertThat(resumed.history().since()).isEqualTo(1700000000L);
    assertThat(resumed.history().streams()).containsEntry("s", new ClientCommand.StreamPosition("e", 3));
  }

  @Test
  void presenceCommandsCarryTheIdAndTheInfoAsJson() throws Exception {
    ClientCommand join = decode(MsgpackClient.pack(map("command", "join", "identifier", "i",
        "presence", map("id", "u1", "info", map("name", "Ann", "tags", List.of(1, 2.5))))));
    assertThat(join.command()).isEqualTo("join");
    assertThat(join.presence()).isEqualTo(new ClientCommand.PresenceData("u1", "{\"name\":\"Ann\",\"tags\":[1,2.5]}"));
    ClientCommand noInfo = decode(MsgpackClient.pack(map("command", "leave", "identifier", "i", "presence", map("id", "u1"))));
    assertThat(noInfo.presence()).isEqualTo(new ClientCommand.PresenceData("u1", null));
    ClientCommand info = decode(MsgpackClient.pack(map("command", "presence", "identifier", "i",
        "data", map("return_records", false))));
    assertThat(info.dataString()).isNull();
    assertThat(info.dataJson()).isEqualTo("{\"return_records\":false}");
  }

  @Test
  void dataThatIsNotAStringIsPassedOnAsJson() throws Exception {
    assertThat(decode(MsgpackClient.pack(map("command", "whisper", "data", "text"))).dataJson()).isEqualTo("\"text\"");
    assertThat(decode(MsgpackClient.pack(map("command", "whisper", "data", 42))).dataJson()).isEqualTo("42");
    assertThat(decode(MsgpackClient.pack(map("command", "whisper", "data", null))).dataJson()).isNull();
    byte[] bin = "hi".getBytes(StandardCharsets.UTF_8);
    assertThat(decode(MsgpackClient.pack(map("command", "whisper", "data", bin))).dataJson())
        .as("bytes as Go's JSON encoder writes them").isEqualTo("\"aGk=\"");
    assertThatThrownBy(() -> decode(golden(0x82, "command", "whisper", "data", 0x81, 0x01, 0x02)))
        .as("a map key that is not a string").isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> decode(golden(0x82, "command", "whisper", "data", 0xcb,
        new byte[] {0x7f, (byte) 0xf8, 0, 0, 0, 0, 0, 0}))).as("NaN").isInstanceOf(ProtocolException.class);
  }

  @Test
  void unknownFieldsAndKeysAreSkipped() throws Exception {
    ClientCommand c = decode(golden(0x83, 0x01, 0x02, "extra", 0x90, "command", "pong"));
    assertThat(c.command()).isEqualTo("pong");
  }
}
