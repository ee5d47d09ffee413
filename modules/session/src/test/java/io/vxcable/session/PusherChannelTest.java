package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.protocol.JsonText;
import io.vxcable.session.spi.Channels;
import io.vxcable.session.wire.ActionCableJson;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code $pusher} channel in Pusher mode, driven by an Action Cable client (which the
 * signatures must stop as surely as a Pusher one): public channels are confirmed, private and
 * presence channels only with the signature of the session's own id. (This engine has no bus: a
 * confirmed subscription never gets as far as its confirmation frame, so it is seen as the
 * session's subscription, and the last command of each test is the one confirmed. The channel
 * state, client events and presence are checked end to end by the pusher module's gateway test.)
 */
class PusherChannelTest {

  static final String[] PUSHER = {"--pusher_app_id=my-id", "--pusher_app_key=detox", "--pusher_secret=oaugc1"};

  static String auth(String signed) {
    return "detox:" + PusherChannel.sign(new SecretKeySpec("oaugc1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"), signed);
  }

  static String subscribe(String identifier) {
    return "{\"command\":\"subscribe\",\"identifier\":" + JsonText.quote(identifier) + "}";
  }

  @Test
  void aPrivateChannelNeedsTheSignatureOfTheSessionsOwnId() {
    EngineFixture f = new EngineFixture(PUSHER);
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableJson.V1, null);
    assertThat(s.sid()).isEqualTo("sid1");

    f.send(s, subscribe(Channels.pusher("private-a", auth("sid2:private-a"), null)));
    f.send(s, subscribe(Channels.pusher("private-b", null, null)));
    f.send(s, subscribe(Channels.pusher("private-c", auth("sid1:private-c"), null)));
    assertThat(t.frames).hasSize(3);
    assertThat(t.frames.get(1)).as("another socket's signature").contains("reject_subscription");
    assertThat(t.frames.get(2)).as("no signature").contains("reject_subscription");
    assertThat(s.subscription(Channels.pusher("private-c", auth("sid1:private-c"), null))).as("confirmed").isNotNull();
  }

  @Test
  void aPresenceChannelSignsItsMemberAndGetsPresence() {
    EngineFixture f = new EngineFixture(PUSHER);
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableJson.V1, null);
    String member = "{\"user_id\":\"312\",\"user_info\":{\"name\":\"Vova\"}}";
    String forged = "{\"user_id\":\"1\"}";

    f.send(s, subscribe(Channels.pusher("presence-x", auth("sid1:presence-x:" + member), forged)));
    f.send(s, subscribe(Channels.pusher("presence-y", auth("sid1:presence-y"), null)));
    String ok = Channels.pusher("presence-z", auth("sid1:presence-z:" + member), member);
    f.send(s, subscribe(ok));
    assertThat(t.frames).hasSize(3);
    assertThat(t.frames.get(1)).as("channel_data that was not signed").contains("reject_subscription");
    assertThat(t.frames.get(2)).as("no channel_data").contains("reject_subscription");
    assertThat(s.subscription(ok)).as("confirmed").isNotNull();
  }

  @Test
  void aPublicChannelNeedsNoSignature() {
    EngineFixture f = new EngineFixture(PUSHER);
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableJson.V1, null);
    String id = Channels.pusher("public-d", null, null);
    f.send(s, subscribe(id));
    assertThat(s.subscription(id)).as("confirmed").isNotNull();
  }

  @Test
  void withoutPusherModeTheChannelIsTheApplications() {
    EngineFixture f = new EngineFixture("--norpc");
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableJson.V1, null);
    f.send(s, subscribe(Channels.pusher("public-d", null, null)));
    assertThat(t.frames).hasSize(2);
    assertThat(t.frames.get(1)).contains("reject_subscription");
  }
}
