package io.vxcable.session.wire;

import static io.vxcable.session.wire.ProtobufClient.golden;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.testkit.WireProtocolContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Action Cable over protobuf (plain: Message frames; extended: Reply frames) against the contract, plus golden bytes. */
class ActionCableProtobufTest {

  abstract static class Protobuf extends WireProtocolContract {
    @Override
    protected byte[] clientFrame(Map<String, Object> command) {
      return ProtobufClient.message(command);
    }

    @Override
    protected Map<String, Object> read(byte[] frame) {
      return ProtobufClient.read(frame, protocol().extended());
    }

    @Override
    protected List<byte[]> malformedFrames() {
      return List.of(
          golden(0x08),                          // a varint cut short
          golden(0x1a, 0x05, "a"),               // a string cut short
          golden(0x1a, 0x02, 0xff, 0xfe),        // an identifier that is not UTF-8
          golden(0x00),                          // field number zero
          ProtobufClient.message(ActionCableMsgpackTest.map("command", "history", "identifier", "i",
              "history", ActionCableMsgpackTest.map("streams",
                  ActionCableMsgpackTest.map("s", ActionCableMsgpackTest.map("epoch", "e", "offset", -1))))));
    }

    @Override
    protected String typeAsRead(String type) {
      return ProtobufClient.TYPES.contains(type) ? type : null;
    }
  }

  @Nested
  class Plain extends Protobuf {
    @Override
    protected WireProtocol protocol() {
      return ActionCableProtobuf.V1;
    }
  }

  @Nested
  class Extended extends Protobuf {
    @Override
    protected WireProtocol protocol() {
      return ActionCableProtobuf.EXT;
    }
  }

  static final WireProtocol V1 = ActionCableProtobuf.V1;
  static final WireProtocol EXT = ActionCableProtobuf.EXT;

  static ClientCommand decode(byte[] frame) throws ProtocolException {
    List<ClientCommand> out = new ArrayList<>();
    ActionCableProtobuf.V1.decode(frame, out::add);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void bothProtocolsAreBinaryAndOnlyTheExtendedOneResumes() {
    assertThat(V1.name()).isEqualTo("actioncable-v1-protobuf");
    assertThat(EXT.name()).isEqualTo("actioncable-v1-ext-protobuf");
    assertThat(V1.binary() && EXT.binary()).isTrue();
    assertThat(V1.extended()).isFalse();
    assertThat(EXT.extended()).isTrue();
  }

  @Test
  void extendedRepliesAreReplyMessages() {
    assertThat(EXT.encode(Reply.Welcome.of("abc"))).isEqualTo(golden(0x08, 0x01, 0x4a, 0x03, "abc"));
    assertThat(EXT.encode(new Reply.Welcome("abc", true, List.of("i1"))))
        .isEqualTo(golden(0x08, 0x01, 0x4a, 0x03, "abc", 0x50, 0x01, 0x5a, 0x02, "i1"));
    assertThat(EXT.encode(new Reply.Disconnect("unauthorized", false))).isEqualTo(golden(0x08, 0x02, 0x22, 0x0c, "unauthorized"));
    assertThat(EXT.encode(new Reply.Ping(1700000000))).isEqualTo(golden(0x08, 0x03, 0x1a, 0x05, 0xce, 0x65, 0x53, 0xf1, 0x00));
    assertThat(EXT.encode(new Reply.ConfirmSubscription("i"))).isEqualTo(golden(0x08, 0x04, 0x12, 0x01, "i"));
    assertThat(EXT.encode(new Reply.RejectSubscription("i"))).isEqualTo(golden(0x08, 0x05, 0x12, 0x01, "i"));
    assertThat(EXT.encode(new Reply.ConfirmHistory("i"))).isEqualTo(golden(0x08, 0x06, 0x12, 0x01, "i"));
    assertThat(EXT.encode(new Reply.RejectHistory("i"))).isEqualTo(golden(0x08, 0x07, 0x12, 0x01, "i"));
  }

  @Test
  void plainRepliesAreMessagesWithoutSessionFields() {
    assertThat(V1.encode(new Reply.Welcome("abc", true, List.of("i1")))).isEqualTo(golden(0x08, 0x01));
    assertThat(V1.encode(new Reply.Disconnect("server_restart", true)))
        .isEqualTo(golden(0x08, 0x02, 0x32, 0x0e, "server_restart", 0x38, 0x01));
    assertThat(V1.encode(new Reply.Ping(1700000000))).isEqualTo(golden(0x08, 0x03, 0x2a, 0x05, 0xce, 0x65, 0x53, 0xf1, 0x00));
    assertThat(V1.encode(new Reply.ConfirmSubscription("i"))).isEqualTo(golden(0x08, 0x04, 0x1a, 0x01, "i"));
  }

  @Test
  void typesTheSchemaLacksAreNoType() {
    assertThat(EXT.encode(new Reply.Pong())).as("pong: every field a default").isEmpty();
    Map<String, Object> presence = ProtobufClient.read(EXT.encode(
        new Reply.PresenceInfo("i", 1, List.of(new Reply.PresenceRecord("u1", null)))), true);
    assertThat(presence).doesNotContainKey("type").containsEntry("identifier", "i").containsEntry("message",
        ActionCableMsgpackTest.map("type", "info", "total", 1L, "records", List.of(ActionCableMsgpackTest.map("id", "u1"))));
    assertThat(ProtobufClient.read(V1.encode(new Reply.PresenceError("i")), false))
        .isEqualTo(ActionCableMsgpackTest.map("identifier", "i", "message", ActionCableMsgpackTest.map("type", "error", "total", 0L)));
  }

  @Test
  void transmissionsKeepTheSchemasFieldsAndOthersAreNotSent() {
    assertThat(EXT.encode(new Reply.Transmission("{\"type\":\"confirm_subscription\",\"identifier\":\"i\",\"extra\":1}")))
        .isEqualTo(golden(0x08, 0x04, 0x12, 0x01, "i"));
    String stamped = "{\"identifier\":\"i\",\"message\":{\"a\":1},\"stream_id\":\"s\",\"epoch\":\"e\",\"offset\":3}";
    assertThat(EXT.encode(new Reply.Transmission(stamped)))
        .isEqualTo(golden(0x12, 0x01, "i", 0x1a, 0x04, 0x81, 0xa1, "a", 0x01, 0x32, 0x01, "s", 0x3a, 0x01, "e", 0x40, 0x03));
    assertThat(V1.encode(new Reply.Transmission(stamped))).isEqualTo(golden(0x1a, 0x01, "i", 0x2a, 0x04, 0x81, 0xa1, "a", 0x01));
    assertThat(EXT.encode(new Reply.Transmission("not json"))).isNull();
    assertThat(EXT.encode(new Reply.Transmission("[1]"))).isNull();
    assertThat(EXT.encode(new Reply.Transmission("{\"identifier\":5}"))).isNull();
    assertThat(EXT.encode(new Reply.Transmission("{\"restored_ids\":[1]}"))).isNull();
  }

  @Test
  void broadcastsAreSplicedIntoTheBytesOfAFullSerialization() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("{\"a\":1}"))
        .setEpoch("e").setOffset(3).build();
    byte[] ext = EXT.broadcasts("i").encode(m, EXT.payload(m));
    assertThat(ext).isEqualTo(golden(0x12, 0x01, "i", 0x1a, 0x04, 0x81, 0xa1, "a", 0x01, 0x32, 0x01, "s", 0x3a, 0x01, "e", 0x40, 0x03));
    assertThat(ext).isEqualTo(io.vxcable.contracts.actioncable.Reply.newBuilder().setIdentifier("i")
        .setMessage(ByteString.copyFrom(MsgpackClient.pack(ActionCableMsgpackTest.map("a", 1))))
        .setStreamId("s").setEpoch("e").setOffset(3).build().toByteArray());
    assertThat(V1.broadcasts("i").encode(m, V1.payload(m))).isEqualTo(golden(0x1a, 0x01, "i", 0x2a, 0x04, 0x81, 0xa1, "a", 0x01));
    StreamBroadcast typed = m.toBuilder().setBroadcastType("presence").setMessage(ByteString.copyFromUtf8("\"x\"")).build();
    assertThat(EXT.broadcasts("i").encode(typed, EXT.payload(typed)))
        .as("presence is no_type: no type field")
        .isEqualTo(golden(0x12, 0x01, "i", 0x1a, 0x02, 0xa1, "x", 0x32, 0x01, "s", 0x3a, 0x01, "e", 0x40, 0x03));
  }

  @Test
  void eachProtocolIsItsOwnBroadcastFormat() {
    assertThat(V1.broadcastFormat()).isSameAs(V1);
    assertThat(EXT.broadcastFormat()).isSameAs(EXT);
  }

  @Test
  void whatTheProtobufEncoderSendsIsDecoded() throws Exception {
    // protobufjs's bytes for {command: subscribe (1), identifier: 'x'}
    ClientCommand subscribe = decode(golden(0x10, 0x01, 0x1a, 0x01, "x"));
    assertThat(subscribe.command()).isEqualTo("subscribe");
    assertThat(subscribe.identifier()).isEqualTo("x");
    assertThat(subscribe.history()).isNull();
    ClientCommand whisper = decode(golden(0x10, 0x06, 0x1a, 0x01, "i", 0x22, 0x0f, "{\"typing\":true}"));
    assertThat(whisper.command()).isEqualTo("whisper");
    assertThat(whisper.dataJson()).as("the stringified object is the JSON passed on").isEqualTo("{\"typing\":true}");
  }

  @Test
  void dataIsTheCommandsTextAndAsJsonItsValueOrAString() throws Exception {
    ClientCommand perform = decode(ProtobufClient.message(ActionCableMsgpackTest.map("command", "message",
        "identifier", "i", "data", "{\"action\":\"speak\"}")));
    assertThat(perform.dataString()).isEqualTo("{\"action\":\"speak\"}");
    ClientCommand text = decode(ProtobufClient.message(ActionCableMsgpackTest.map("command", "whisper", "data", "hello")));
    assertThat(text.dataString()).isEqualTo("hello");
    assertThat(text.dataJson()).isEqualTo("\"hello\"");
    ClientCommand none = decode(ProtobufClient.message(ActionCableMsgpackTest.map("command", "whisper", "data", "")));
    assertThat(none.dataString()).isNull();
    assertThat(none.dataJson()).isNull();
  }

  @Test
  void aHistoryWithoutStreamsHasAnEmptyMap() throws Exception {
    ClientCommand c = decode(ProtobufClient.message(ActionCableMsgpackTest.map("command", "history", "identifier", "i",
        "history", ActionCableMsgpackTest.map("since", 1700000000))));
    assertThat(c.history().since()).isEqualTo(1700000000L);
    assertThat(c.history().streams()).isNotNull().isEmpty();
  }

  @Test
  void commandsTheSchemaDoesNotNameAreNoCommand() throws Exception {
    assertThat(decode(golden(0x1a, 0x01, "i")).command()).isNull();
    assertThat(decode(golden(0x10, 0x63, 0x1a, 0x01, "i")).command()).as("number 99").isNull();
    assertThat(decode(new byte[0]).command()).isNull();
  }
}
