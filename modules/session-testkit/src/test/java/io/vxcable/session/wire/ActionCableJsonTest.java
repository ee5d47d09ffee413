package io.vxcable.session.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;

import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.testkit.WireProtocolContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Action Cable JSON (plain and extended) against the wire-protocol contract, plus its golden bytes. */
class ActionCableJsonTest {

  abstract static class Json extends WireProtocolContract {
    @Override
    protected byte[] clientFrame(Map<String, Object> command) {
      return io.vertx.core.json.Json.encode(command).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected Map<String, Object> read(byte[] frame) {
      return new JsonObject(new String(frame, StandardCharsets.UTF_8)).getMap();
    }

    @Override
    protected List<byte[]> malformedFrames() {
      return List.of("not json".getBytes(StandardCharsets.UTF_8), "[1,2]".getBytes(StandardCharsets.UTF_8),
          "{\"command\":1}".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe});
    }
  }

  @Nested
  class Plain extends Json {
    @Override
    protected WireProtocol protocol() {
      return ActionCableJson.V1;
    }
  }

  @Nested
  class Extended extends Json {
    @Override
    protected WireProtocol protocol() {
      return ActionCableJson.EXT;
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void repliesAreByteForByteAnycableGos() {
    assertThat(text(ActionCableJson.V1.encode(Reply.Welcome.of("abc")))).isEqualTo("{\"type\":\"welcome\",\"sid\":\"abc\"}");
    assertThat(text(ActionCableJson.EXT.encode(new Reply.Welcome("abc", true, List.of("i1")))))
        .isEqualTo("{\"type\":\"welcome\",\"sid\":\"abc\",\"restored\":true,\"restored_ids\":[\"i1\"]}");
    assertThat(text(ActionCableJson.V1.encode(new Reply.Disconnect("unauthorized", false))))
        .isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
    assertThat(text(ActionCableJson.V1.encode(new Reply.ConfirmSubscription("{\"channel\":\"C\"}"))))
        .isEqualTo("{\"type\":\"confirm_subscription\",\"identifier\":\"{\\\"channel\\\":\\\"C\\\"}\"}");
    assertThat(text(ActionCableJson.V1.encode(new Reply.Ping(1700000000)))).isEqualTo("{\"type\":\"ping\",\"message\":1700000000}");
    assertThat(text(ActionCableJson.V1.encode(new Reply.PresenceInfo("i", 1, List.of(new Reply.PresenceRecord("u1", "{\"n\":1}"))))))
        .isEqualTo("{\"type\":\"presence\",\"identifier\":\"i\",\"message\":{\"type\":\"info\",\"total\":1,"
            + "\"records\":[{\"info\":{\"n\":1},\"id\":\"u1\"}]}}");
    assertThat(text(ActionCableJson.V1.encode(new Reply.Transmission("{\"verbatim\" : 1}")))).isEqualTo("{\"verbatim\" : 1}");
  }

  @Test
  void broadcastsAreByteForByteAnycableGosAndSharedByBothProtocols() {
    StreamBroadcast m = StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8("{\"a\":1}"))
        .setEpoch("e").setOffset(3).build();
    WireProtocol format = ActionCableJson.EXT.broadcastFormat();
    assertThat(format).isSameAs(ActionCableJson.V1.broadcastFormat());
    assertThat(text(format.broadcasts("i").encode(m, format.payload(m))))
        .isEqualTo("{\"identifier\":\"i\",\"message\":{\"a\":1},\"stream_id\":\"s\",\"epoch\":\"e\",\"offset\":3}");
  }

}
