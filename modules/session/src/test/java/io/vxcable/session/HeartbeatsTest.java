package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.session.wire.ActionCableJson;
import org.junit.jupiter.api.Test;

/** Pings, pong deadlines and write stalls driven by a manual clock: no sockets, no sleeping. */
class HeartbeatsTest {

  @Test
  void everySessionIsPingedEveryIntervalAfterAJitteredFirstPing() {
    EngineFixture f = new EngineFixture();
    RecordingTransport a = new RecordingTransport();
    RecordingTransport b = new RecordingTransport();
    f.open(a, ActionCableJson.V1, "1");
    f.open(b, ActionCableJson.EXT, "1");
    f.advance(450);
    assertThat(a.pings()).as("no ping before interval/2").isZero();
    assertThat(b.pings()).isZero();
    f.advance(1_100);
    assertThat(a.pings()).as("first ping before 3*interval/2").isGreaterThanOrEqualTo(1);
    assertThat(b.pings()).isGreaterThanOrEqualTo(1);
    long a0 = a.pings();
    long b0 = b.pings();
    f.advance(3_000);
    assertThat(a.pings() - a0).as("one ping per interval afterwards").isEqualTo(3);
    assertThat(b.pings() - b0).isEqualTo(3);
  }

  @Test
  void anExtendedSessionThatStaysSilentGetsNoPongAndOneThatAnswersStays() {
    EngineFixture f = new EngineFixture("--pong_timeout=1");
    RecordingTransport silent = new RecordingTransport();
    RecordingTransport chatty = new RecordingTransport();
    f.open(silent, ActionCableJson.EXT, "1");
    Session c = f.open(chatty, ActionCableJson.EXT, "1");
    for (int i = 0; i < 80; i++) {
      f.advance(50);
      if (chatty.pings() > 0) {
        f.send(c, "{\"command\":\"pong\"}");
      }
    }
    assertThat(silent.frames).contains("{\"type\":\"disconnect\",\"reason\":\"no_pong\",\"reconnect\":true}");
    assertThat(silent.closed).isTrue();
    assertThat(silent.closeCode).isEqualTo(1000);
    assertThat(chatty.closed).isFalse();
    assertThat(chatty.pings()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void nativePingsGoWithEveryPingAndAPongFrameCountsAsTraffic() {
    EngineFixture f = new EngineFixture("--enable_native_pings", "--pong_timeout=1");
    RecordingTransport plain = new RecordingTransport();
    Session s = f.open(plain, ActionCableJson.V1, "1");
    for (int i = 0; i < 80; i++) {
      f.advance(50);
      f.engine.onNativePong(s);
    }
    assertThat(plain.nativePings).isEqualTo((int) plain.pings()).isGreaterThanOrEqualTo(3);
    assertThat(plain.closed).as("native pongs keep even a plain session alive").isFalse();
    RecordingTransport mute = new RecordingTransport();
    f.open(mute, ActionCableJson.V1, "1");
    f.advance(3_000);
    assertThat(mute.closed).as("with native pings every protocol must answer").isTrue();
  }

  @Test
  void aProtocolWithoutPingsGetsNoPingFramesButNativePingsStillGo() {
    EngineFixture f = new EngineFixture("--enable_native_pings");
    RecordingTransport quiet = new RecordingTransport();
    f.open(quiet, new NoPings(), "1");
    f.advance(5_000);
    assertThat(quiet.pings()).as("no ping frames").isZero();
    assertThat(quiet.nativePings).as("WebSocket pings go on").isGreaterThanOrEqualTo(3);
    assertThat(quiet.closed).isFalse();
  }

  /** Action Cable JSON, but a protocol that keeps its own heartbeat. */
  private static final class NoPings implements io.vxcable.session.spi.WireProtocol {
    private final io.vxcable.session.spi.WireProtocol json = ActionCableJson.V1;

    @Override
    public String name() {
      return "no-pings";
    }

    @Override
    public boolean extended() {
      return false;
    }

    @Override
    public boolean binary() {
      return false;
    }

    @Override
    public boolean pings() {
      return false;
    }

    @Override
    public void decode(byte[] frame, java.util.function.Consumer<io.vxcable.protocol.ClientCommand> out)
        throws io.vxcable.protocol.ProtocolException {
      json.decode(frame, out);
    }

    @Override
    public byte[] encode(io.vxcable.session.spi.Reply reply) {
      return json.encode(reply);
    }

    @Override
    public BroadcastEncoder broadcasts(String identifier) {
      return json.broadcasts(identifier);
    }

    @Override
    public Object payload(io.vxcable.contracts.bus.StreamBroadcast broadcast) {
      return json.payload(broadcast);
    }
  }

  @Test
  void aPlainSessionNeedsNoPongs() {
    EngineFixture f = new EngineFixture("--pong_timeout=1");
    RecordingTransport plain = new RecordingTransport();
    f.open(plain, ActionCableJson.V1, "1");
    f.advance(5_000);
    assertThat(plain.closed).isFalse();
  }

  @Test
  void aWriteThatMakesNoProgressDropsTheConnection() {
    EngineFixture f = new EngineFixture("--ws_write_timeout=2");
    RecordingTransport stuck = new RecordingTransport();
    Session s = f.open(stuck, ActionCableJson.V1, "0");
    stuck.stallWrites = true;
    f.advance(100);
    assertThat(stuck.closed).isFalse();
    f.send(s, "{\"command\":\"ping\"}");
    f.advance(2_100);
    assertThat(stuck.closed).isTrue();
    assertThat(stuck.closeCode).isEqualTo(1011);
  }
}
