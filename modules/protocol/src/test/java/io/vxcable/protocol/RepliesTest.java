package io.vxcable.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepliesTest {

  static final String ID = "{\"channel\":\"$pubsub\",\"stream_name\":\"a\"}";
  static final String QID = JsonText.quote(ID);

  @Test
  void controlFramesHaveAnycableGosExactShape() {
    assertThat(Replies.welcome("s1")).isEqualTo("{\"type\":\"welcome\",\"sid\":\"s1\"}");
    assertThat(Replies.ping(1700000000)).isEqualTo("{\"type\":\"ping\",\"message\":1700000000}");
    assertThat(Replies.pong()).isEqualTo("{\"type\":\"pong\"}");
    assertThat(Replies.confirmSubscription(ID)).isEqualTo("{\"type\":\"confirm_subscription\",\"identifier\":" + QID + "}");
    assertThat(Replies.rejectSubscription(ID)).isEqualTo("{\"type\":\"reject_subscription\",\"identifier\":" + QID + "}");
    assertThat(Replies.confirmHistory(ID)).isEqualTo("{\"type\":\"confirm_history\",\"identifier\":" + QID + "}");
    assertThat(Replies.rejectHistory(ID)).isEqualTo("{\"type\":\"reject_history\",\"identifier\":" + QID + "}");
    assertThat(Replies.presenceError(ID))
        .isEqualTo("{\"type\":\"presence\",\"identifier\":" + QID + ",\"message\":{\"type\":\"error\",\"total\":0}}");
  }

  @Test
  void disconnectMessagesAlwaysCarryReconnect() {
    assertThat(Replies.disconnect("unauthorized", false))
        .isEqualTo("{\"type\":\"disconnect\",\"reason\":\"unauthorized\",\"reconnect\":false}");
    assertThat(Replies.disconnect("server_restart", true))
        .isEqualTo("{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}");
  }

  @Test
  void aRestoredWelcomeListsRestoredIdsOnlyWhenThereAreSome() {
    assertThat(Replies.welcomeRestored("s2", List.of())).isEqualTo("{\"type\":\"welcome\",\"sid\":\"s2\",\"restored\":true}");
    assertThat(Replies.welcomeRestored("s2", List.of("a", "b")))
        .isEqualTo("{\"type\":\"welcome\",\"sid\":\"s2\",\"restored\":true,\"restored_ids\":[\"a\",\"b\"]}");
  }

  @Test
  void dataMessagesOmitEmptyFieldsAndStampOnlyWithAnEpoch() {
    assertThat(Replies.message(ID, "{\"a\":1}", null, null, null, 0))
        .isEqualTo("{\"identifier\":" + QID + ",\"message\":{\"a\":1}}");
    assertThat(Replies.message(ID, "1", "presence", "a", "", 3))
        .isEqualTo("{\"type\":\"presence\",\"identifier\":" + QID + ",\"message\":1}");
    assertThat(Replies.message(ID, "1", null, "a", "ep", 3))
        .isEqualTo("{\"identifier\":" + QID + ",\"message\":1,\"stream_id\":\"a\",\"epoch\":\"ep\",\"offset\":3}");
    assertThat(Replies.message(ID, "1", null, "a", "ep", 0))
        .isEqualTo("{\"identifier\":" + QID + ",\"message\":1,\"stream_id\":\"a\",\"epoch\":\"ep\"}");
  }
}
