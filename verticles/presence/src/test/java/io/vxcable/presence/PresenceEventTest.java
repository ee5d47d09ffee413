package io.vxcable.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Presence events as subscribers receive them. */
class PresenceEventTest {

  @Test
  void aJoinCarriesTheInfoAndALeaveDoesNot() {
    assertThat(PresenceEvent.join("room", "alice", "{\"a\":[1]}".getBytes(StandardCharsets.UTF_8)).json())
        .isEqualTo("{\"id\":\"alice\",\"info\":{\"a\":[1]},\"type\":\"join\"}");
    assertThat(PresenceEvent.leave("room", "alice").json()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");
  }

  @Test
  void aJoinWithoutInfoHasNoInfoKey() {
    assertThat(PresenceEvent.join("room", "alice", new byte[0]).json()).isEqualTo("{\"id\":\"alice\",\"type\":\"join\"}");
    assertThat(PresenceEvent.join("room", "alice", "null".getBytes(StandardCharsets.UTF_8)).json())
        .isEqualTo("{\"id\":\"alice\",\"type\":\"join\"}");
  }

  @Test
  void idsAreEscapedAsJsonStrings() {
    assertThat(PresenceEvent.leave("room", "a\"b\\c\n\u0001é").json())
        .isEqualTo("{\"id\":\"a\\\"b\\\\c\\n\\u0001é\",\"type\":\"leave\"}");
  }

  @Test
  void anEventTravelsAsATransientPresenceBroadcastOfItsStream() {
    StreamBroadcast b = PresenceEvent.leave("room/1", "alice").toBroadcast();
    assertThat(b.getStream()).isEqualTo("room/1");
    assertThat(b.getMessage().toStringUtf8()).isEqualTo("{\"id\":\"alice\",\"type\":\"leave\"}");
    assertThat(b.getBroadcastType()).isEqualTo("presence");
    assertThat(b.getTransient()).isTrue();
    assertThat(b.getExcludeSocket()).isEmpty();
    assertThat(b.getEpoch()).isEmpty();
  }
}
