package io.vxcable.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the load generator reads off frames must match what each target really sends. */
class FramesTest {

  @Test
  void theSendTimeIsReadFromEachTargetsFrame() {
    String payload = Payload.json(7, 123456789L);
    String publication = Payload.publication("bench", 7, 123456789L);
    // The publication carries the payload as a JSON string, as AnyCable's /_broadcast expects.
    assertThat(new JsonObject(publication).getString("data")).isEqualTo(payload);
    String actionCable = "{\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\",\\\"stream_name\\\":\\\"bench\\\"}\",\"message\":"
        + payload + "}";
    String socketIo = "42[\"message\"," + payload + "]";
    for (String frame : List.of(actionCable, socketIo, payload)) {
      assertThat(Payload.field(frame, "t")).isEqualTo(123456789L);
      assertThat(Payload.field(frame, "seq")).isEqualTo(7);
    }
    assertThat(Payload.field("{\"type\":\"ping\",\"message\":1700000000}", "t")).isEqualTo(-1);
  }

  @Test
  void deliveriesAreToldApartFromControlFrames() {
    assertThat(Protocol.ACTIONCABLE.delivery("{\"type\":\"ping\",\"message\":1}")).isFalse();
    assertThat(Protocol.ACTIONCABLE.delivery("{\"type\":\"welcome\"}")).isFalse();
    assertThat(Protocol.ACTIONCABLE.ready("{\"identifier\":\"x\",\"type\":\"confirm_subscription\"}")).isTrue();
    assertThat(Protocol.ACTIONCABLE.delivery("{\"identifier\":\"x\",\"message\":{\"t\":1}}")).isTrue();
    assertThat(Protocol.SOCKETIO.ready("40{\"sid\":\"a\"}")).isTrue();
    assertThat(Protocol.SOCKETIO.delivery("42[\"message\",{}]")).isTrue();
    assertThat(Protocol.SOCKETIO.delivery("2")).isFalse();
    assertThat(Protocol.identifier("a\"b")).isEqualTo("{\"channel\":\"$pubsub\",\"stream_name\":\"a\\\"b\"}");
  }

  @Test
  void optionsTakeBothSpellings() {
    Options o = new Options(List.of("--clients", "5", "--rate=2.5", "--jvm", "--local-addresses", "127.0.0.2,127.0.0.3"));
    assertThat(o.integer("clients", 1)).isEqualTo(5);
    assertThat(o.decimal("rate", 1)).isEqualTo(2.5);
    assertThat(o.string("jvm", "false")).isEqualTo("true");
    assertThat(o.list("local-addresses", "")).containsExactly("127.0.0.2", "127.0.0.3");
    assertThat(o.integer("missing", 9)).isEqualTo(9);
  }
}
