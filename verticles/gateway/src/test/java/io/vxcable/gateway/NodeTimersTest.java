package io.vxcable.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vxcable.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pings, pong deadlines and write stalls driven by a manual clock: no sockets, no sleeping. */
class NodeTimersTest {

  static final class FakeTransport implements Transport {
    final List<String> frames = new ArrayList<>();
    boolean closed;
    int closeCode;
    boolean stallWrites;
    /** Writes complete on the next tick, as a socket does, unless stalled. */
    final List<WriteCallback> inFlight = new ArrayList<>();

    @Override
    public void writeFrame(byte[] utf8, WriteCallback done) {
      frames.add(new String(utf8, StandardCharsets.UTF_8));
      inFlight.add(done);
    }

    void flush() {
      if (!stallWrites) {
        List<WriteCallback> done = new ArrayList<>(inFlight);
        inFlight.clear();
        done.forEach(cb -> cb.written(true));
      }
    }

    int nativePings;

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
      closeCode = code;
    }

    @Override
    public void terminate() {
      closed = true;
      closeCode = 1011;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    long pings() {
      return frames.stream().filter(f -> f.startsWith("{\"type\":\"ping\"")).count();
    }
  }

  long now = 1_000_000;

  Node node(JsonObject overrides) throws Exception {
    JsonObject s = GatewayFixture.defaults(0).mergeIn(overrides);
    GatewayOptions o = GatewayOptions.from(Settings.of(s));
    return new Node(o, new StreamsRouter(new NullController(), o), null, () -> now);
  }

  Session open(Node node, FakeTransport t, boolean ext, String query) {
    transports.add(t);
    Map<String, String> params = query == null ? Map.of() : Map.of("pi", query);
    Session s = node.open(t, "sid" + System.nanoTime(), ext, new RequestInfo("http://x/cable", Map.of(), params, null, "", null));
    node.start(s);
    return s;
  }

  final List<FakeTransport> transports = new ArrayList<>();

  void advance(Node node, long ms) {
    for (long t = 0; t < ms; t += 50) {
      now += 50;
      transports.forEach(FakeTransport::flush);
      node.tick();
    }
  }

  @Test
  void everySessionIsPingedEveryIntervalAfterAJitteredFirstPing() throws Exception {
    Node node = node(new JsonObject());
    FakeTransport a = new FakeTransport();
    FakeTransport b = new FakeTransport();
    open(node, a, false, "1");
    open(node, b, true, "1");
    advance(node, 450);
    assertThat(a.pings()).as("no ping before interval/2").isZero();
    assertThat(b.pings()).isZero();
    advance(node, 1_100);
    assertThat(a.pings()).as("first ping before 3*interval/2").isGreaterThanOrEqualTo(1);
    assertThat(b.pings()).isGreaterThanOrEqualTo(1);
    long a0 = a.pings();
    long b0 = b.pings();
    advance(node, 3_000);
    assertThat(a.pings() - a0).as("one ping per interval afterwards").isEqualTo(3);
    assertThat(b.pings() - b0).isEqualTo(3);
  }

  @Test
  void anExtendedSessionThatStaysSilentGetsNoPongAndOneThatAnswersStays() throws Exception {
    Node node = node(new JsonObject().put("pong_timeout", 1));
    FakeTransport silent = new FakeTransport();
    FakeTransport chatty = new FakeTransport();
    open(node, silent, true, "1");
    Session c = open(node, chatty, true, "1");
    for (int i = 0; i < 80; i++) {
      advance(node, 50);
      if (chatty.pings() > 0) {
        node.onMessage(c, "{\"command\":\"pong\"}");
      }
    }
    assertThat(silent.frames).contains("{\"type\":\"disconnect\",\"reason\":\"no_pong\",\"reconnect\":true}");
    assertThat(silent.closed).isTrue();
    assertThat(silent.closeCode).isEqualTo(1000);
    assertThat(chatty.closed).isFalse();
    assertThat(chatty.pings()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void nativePingsGoWithEveryPingAndAPongFrameCountsAsTraffic() throws Exception {
    Node node = node(new JsonObject().put("enable_native_pings", true).put("pong_timeout", 1));
    FakeTransport plain = new FakeTransport();
    Session s = open(node, plain, false, "1");
    for (int i = 0; i < 80; i++) {
      advance(node, 50);
      node.onNativePong(s);
    }
    assertThat(plain.nativePings).isEqualTo((int) plain.pings()).isGreaterThanOrEqualTo(3);
    assertThat(plain.closed).as("native pongs keep even a plain session alive").isFalse();
    FakeTransport mute = new FakeTransport();
    open(node, mute, false, "1");
    advance(node, 3_000);
    assertThat(mute.closed).as("with native pings every protocol must answer").isTrue();
  }

  @Test
  void aPlainSessionNeedsNoPongs() throws Exception {
    Node node = node(new JsonObject().put("pong_timeout", 1));
    FakeTransport plain = new FakeTransport();
    open(node, plain, false, "1");
    advance(node, 5_000);
    assertThat(plain.closed).isFalse();
  }

  @Test
  void aWriteThatMakesNoProgressDropsTheConnection() throws Exception {
    Node node = node(new JsonObject().put("ws_write_timeout", 2));
    FakeTransport stuck = new FakeTransport();
    Session s = open(node, stuck, false, "0");
    stuck.stallWrites = true;
    advance(node, 100);
    assertThat(stuck.closed).isFalse();
    node.onMessage(s, "{\"command\":\"ping\"}");
    advance(node, 2_100);
    assertThat(stuck.closed).isTrue();
    assertThat(stuck.closeCode).isEqualTo(1011);
  }
}
