package io.vxcable.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.ActionCableJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A protocol that {@link WireProtocol#connectsOnFirstFrame() connects on its first frame} (as
 * Apollo's {@code connection_init}): nothing is authenticated before it, the request it returns is
 * the one authenticated, later frames run after, and a refused first frame closes with the
 * protocol's code.
 */
class FirstFrameConnectTest {

  /** Action Cable JSON, but the first frame must be {@code init:<value>}, which becomes a header. */
  static final class InitFirst implements WireProtocol {
    final WireProtocol json = ActionCableJson.V1;
    boolean refused;

    @Override public String name() { return "init-first"; }
    @Override public boolean extended() { return false; }
    @Override public boolean binary() { return false; }
    @Override public boolean connectsOnFirstFrame() { return true; }

    @Override
    public RequestInfo connectFrame(byte[] frame, RequestInfo handshake) throws ProtocolException {
      String f = new String(frame, StandardCharsets.UTF_8);
      if (!f.startsWith("init:")) {
        refused = true;
        throw new ProtocolException("init first");
      }
      Map<String, String> headers = new HashMap<>(handshake.headers());
      headers.put("x-init", f.substring(5));
      return new RequestInfo(handshake.url(), headers, handshake.params(), null, "", null);
    }

    @Override
    public Close close(int code, String reason) {
      return refused ? new Close(4401, "Unauthorized") : null;
    }

    @Override public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException { json.decode(frame, out); }
    @Override public byte[] encode(Reply reply) { return json.encode(reply); }
    @Override public BroadcastEncoder broadcasts(String identifier) { return json.broadcasts(identifier); }
    @Override public Object payload(StreamBroadcast broadcast) { return json.payload(broadcast); }
  }

  @Test
  void authenticationWaitsForTheFirstFrameAndUsesTheRequestItCompletes() {
    EngineFixture f = new EngineFixture();
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, new InitFirst(), null);
    assertThat(s.connected()).isFalse();
    assertThat(t.paused).as("reading the first frame").isFalse();
    assertThat(t.frames).as("no welcome before the first frame").isEmpty();

    f.send(s, "init:hello");
    assertThat(s.connected()).isTrue();
    assertThat(s.request().headers()).containsEntry("x-init", "hello");
    assertThat(t.frames).singleElement().satisfies(w -> assertThat(w).contains("welcome"));

    f.send(s, "{\"command\":\"ping\"}");
    assertThat(t.frames).as("later frames are commands").hasSize(2);
    assertThat(t.frames.get(1)).contains("pong");
  }

  @Test
  void aRefusedFirstFrameClosesWithTheProtocolsCodeWithoutAuthenticating() {
    EngineFixture f = new EngineFixture();
    RecordingTransport t = new RecordingTransport();
    Session s = f.open(t, new InitFirst(), null);
    f.send(s, "{\"command\":\"subscribe\"}");
    assertThat(s.connected()).isFalse();
    assertThat(t.closed).isTrue();
    assertThat(t.closeCode).isEqualTo(4401);
    assertThat(f.engine.stats().failedClientMessages).isEqualTo(1);
  }
}
