package io.vxcable.session.ds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Response bodies and SSE events. */
class DsFormatTest {

  static StreamBroadcast msg(String json) {
    return StreamBroadcast.newBuilder().setStream("s").setMessage(ByteString.copyFromUtf8(json)).build();
  }

  @Test
  void aBatchIsTheDataJoinedVerbatim() {
    assertThat(DsFormat.jsonArray(List.of()).toString()).isEqualTo("[]");
    assertThat(DsFormat.jsonArray(List.of(msg("{ \"a\" : 1 }"), msg("\"é\""), msg("[1,2]"))).toString())
        .isEqualTo("[{ \"a\" : 1 },\"é\",[1,2]]");
  }

  @Test
  void dataEventsKeepEveryLineOfTheJsonOnADataLine() {
    assertThat(DsFormat.dataEvent(List.of(msg("{\"a\":\"x\\ny\"}"))).toString())
        .isEqualTo("event: data\ndata:[{\"a\":\"x\\ny\"}]\n\n");
    String pretty = "{\r\n  \"a\": 1,\r  \"b\": 2\n}";
    String event = DsFormat.dataEvent(List.of(msg(pretty))).toString();
    assertThat(event).isEqualTo("event: data\ndata:[{\ndata:  \"a\": 1,\ndata:  \"b\": 2\ndata:}]\n\n");
    String joined = String.join("\n", event.strip().lines().skip(1).map(l -> l.substring(5)).toList());
    assertThat(new JsonArray(joined).getJsonObject(0)).isEqualTo(new JsonObject().put("a", 1).put("b", 2));
  }

  @Test
  void controlEventsCarryTheOffsetTheCursorAndUpToDate() {
    assertThat(DsFormat.controlEvent("3::abcd", "123", true).toString())
        .isEqualTo("event: control\ndata:{\"streamNextOffset\":\"3::abcd\",\"streamCursor\":\"123\",\"upToDate\":true}\n\n");
    assertThat(DsFormat.controlEvent("0", "", false).toString())
        .isEqualTo("event: control\ndata:{\"streamNextOffset\":\"0\"}\n\n");
  }
}
