package io.vxcable.session.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** anycable-go's SSE event encoding, byte for byte. */
class SseProtocolTest {

  static final String ID = "{\"channel\":\"$pubsub\",\"stream_name\":\"chat\"}";

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static String broadcast(WireProtocol p, StreamBroadcast m) {
    WireProtocol format = p.broadcastFormat();
    return text(format.broadcasts(ID).encode(m, format.payload(m)));
  }

  static StreamBroadcast message(String json, long offset) {
    StreamBroadcast.Builder b = StreamBroadcast.newBuilder().setStream("chat").setMessage(ByteString.copyFromUtf8(json));
    if (offset > 0) {
      b.setOffset(offset).setEpoch("y2023");
    }
    return b.build();
  }

  @Test
  void typedMessagesAreNamedEventsWithTheirFullJson() {
    assertThat(text(SseProtocol.GET.encode(new Reply.ConfirmSubscription(ID))))
        .isEqualTo("event: confirm_subscription\ndata: {\"type\":\"confirm_subscription\",\"identifier\":"
            + "\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"chat\\\"}\"}\n\n");
    assertThat(text(SseProtocol.GET.encode(new Reply.Ping(1694041735))))
        .isEqualTo("event: ping\ndata: {\"type\":\"ping\",\"message\":1694041735}\n\n");
  }

  @Test
  void aDisconnectWithoutReconnectTellsEventSourceToStayAway() {
    assertThat(text(SseProtocol.GET.encode(new Reply.Disconnect("remote", false))))
        .isEqualTo("event: disconnect\ndata: {\"type\":\"disconnect\",\"reason\":\"remote\",\"reconnect\":false}\n"
            + "retry: 31536000000\n\n");
    assertThat(text(SseProtocol.GET.encode(new Reply.Disconnect("server_restart", true)))).doesNotContain("retry:");
  }

  @Test
  void getDataCarriesOnlyTheMessageValueWithItsPosition() {
    assertThat(broadcast(SseProtocol.GET, message("{\"message\":\"hello\"}", 1)))
        .isEqualTo("data: {\"message\":\"hello\"}\nid: 1/y2023/chat\n\n");
    assertThat(broadcast(SseProtocol.GET, message("\"two\\nlines\"", 0))).isEqualTo("data: two\ndata: lines\n\n");
    assertThat(broadcast(SseProtocol.RAW, message("42", 2))).isEqualTo("data: 42\nid: 2/y2023/chat\n\n");
  }

  @Test
  void postDataCarriesTheWholeMessage() {
    assertThat(broadcast(SseProtocol.POST, message("{\"a\":1}", 3))).isEqualTo(
        "data: {\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"chat\\\"}\",\"message\":{\"a\":1},"
            + "\"stream_id\":\"chat\",\"epoch\":\"y2023\",\"offset\":3}\nid: 3/y2023/chat\n\n");
  }

  @Test
  void transmissionsAreDataOrEventsByTheirType() {
    Reply data = new Reply.Transmission("{\"identifier\":\"x\",\"message\":{\"n\":1}}");
    assertThat(text(SseProtocol.GET.encode(data))).isEqualTo("data: {\"n\":1}\n\n");
    assertThat(text(SseProtocol.POST.encode(data))).isEqualTo("data: {\"identifier\":\"x\",\"message\":{\"n\":1}}\n\n");
    assertThat(text(SseProtocol.GET.encode(new Reply.Transmission("{\"type\":\"custom\",\"x\":1}"))))
        .isEqualTo("event: custom\ndata: {\"type\":\"custom\",\"x\":1}\n\n");
  }

  @Test
  void rawDropsEveryTypedMessage() {
    assertThat(SseProtocol.RAW.encode(new Reply.Welcome("sid", false, java.util.List.of()))).isEmpty();
    assertThat(SseProtocol.RAW.encode(new Reply.Ping(1))).isEmpty();
    assertThat(SseProtocol.RAW.encode(new Reply.Transmission("{\"type\":\"custom\"}"))).isEmpty();
    assertThat(text(SseProtocol.RAW.encode(new Reply.Transmission("{\"message\":\"hi\"}")))).isEqualTo("data: hi\n\n");
  }
}
