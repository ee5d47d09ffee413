package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.session.spi.Reply;
import io.vxcable.session.wire.ActionCableMsgpack;
import io.vxcable.session.wire.ActionCableProtobuf;
import org.junit.jupiter.api.Test;

/** What a session writes with a binary encoding: binary frames, and nothing for a reply it cannot encode. */
class SessionSendTest {

  @Test
  void aBinaryProtocolsFramesAreWrittenAsBinary() {
    EngineFixture f = new EngineFixture();
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableMsgpack.EXT, null);
    s.send(new Reply.ConfirmSubscription("i"));
    assertThat(t.frames).hasSizeGreaterThanOrEqualTo(2);
    assertThat(t.binaryFrames).containsOnly(true);
  }

  @Test
  void aTransmissionTheEncodingCannotCarryIsSkippedAndTheSessionStays() {
    EngineFixture f = new EngineFixture();
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, ActionCableProtobuf.EXT, null);
    int before = t.frames.size();
    s.send(new Reply.Transmission("not json"));
    assertThat(t.frames).as("nothing written").hasSize(before);
    s.send(new Reply.Transmission("{\"identifier\":\"i\",\"message\":1}"));
    assertThat(t.frames).as("the next one is").hasSize(before + 1);
    assertThat(t.closed).isFalse();
  }
}
