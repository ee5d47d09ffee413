package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.session.spi.Transport;
import io.vxcable.session.wire.ActionCableJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A polled transport (long polling) under the heartbeats, on a manual clock: frames wait for the
 * client's next request, so no pings, no pong deadline and no write stall, while the bytes waiting
 * still count toward the slow-client limit.
 */
class PollHeartbeatsTest {

  /** Holds every frame until a poll takes them ({@link #poll}). */
  static final class HeldFrames implements Transport {
    final List<String> frames = new ArrayList<>();
    final List<WriteCallback> held = new ArrayList<>();
    boolean closed;
    int nativePings;

    @Override
    public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
      frames.add(new String(bytes, StandardCharsets.UTF_8));
      held.add(done);
    }

    void poll() {
      List<WriteCallback> taken = new ArrayList<>(held);
      held.clear();
      taken.forEach(cb -> cb.written(true));
    }

    @Override
    public boolean polled() {
      return true;
    }

    @Override
    public void writeNativePing() {
      nativePings++;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void close(int code, String reason) {
      closed = true;
    }

    @Override
    public void terminate() {
      closed = true;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }

  static Session open(EngineFixture f, HeldFrames t) {
    Session s = f.engine.open(t, ActionCableJson.EXT, "poll", new RequestInfo("http://x/lp", Map.of(), Map.of(), null, "", null));
    f.engine.start(s);
    return s;
  }

  @Test
  void aPolledSessionIsNeverPingedSoNeverHeldToAPongDeadline() {
    EngineFixture f = new EngineFixture("--ping_interval=1", "--pong_timeout=1", "--enable_native_pings");
    HeldFrames t = new HeldFrames();
    open(f, t);
    f.advance(10_000);
    assertThat(t.frames).hasSize(1);
    assertThat(t.frames.get(0)).startsWith("{\"type\":\"welcome\"");
    assertThat(t.nativePings).isZero();
    assertThat(t.closed).isFalse();
  }

  @Test
  void framesWaitingForTheNextPollAreNoWriteStall() {
    EngineFixture f = new EngineFixture("--ws_write_timeout=1");
    HeldFrames t = new HeldFrames();
    Session s = open(f, t);
    f.send(s, "{\"command\":\"ping\"}");
    f.advance(5_000);
    assertThat(t.closed).as("a WebSocket would be dropped after 1 s").isFalse();
    assertThat(s.pendingBytes()).isPositive();
    t.poll();
    assertThat(s.pendingBytes()).isZero();
  }

  @Test
  void framesWaitingForTheNextPollCountTowardTheSlowClientLimit() {
    EngineFixture f = new EngineFixture("--ws_max_pending_size=200");
    HeldFrames t = new HeldFrames();
    Session s = open(f, t);
    for (int i = 0; i < 30 && !t.closed; i++) {
      f.send(s, "{\"command\":\"ping\"}");
    }
    assertThat(t.closed).isTrue();
    assertThat(t.frames.get(t.frames.size() - 1)).isEqualTo("{\"type\":\"disconnect\",\"reason\":\"too_slow\",\"reconnect\":true}");
  }
}
