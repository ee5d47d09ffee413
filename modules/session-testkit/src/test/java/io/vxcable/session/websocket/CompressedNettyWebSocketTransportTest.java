package io.vxcable.session.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.vxcable.session.testkit.TransportContract;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport with permessage-deflate negotiated (Netty's per-channel encoder in the
 * pipeline, as after a real handshake): every frame reaches the peer compressed once (RSV1) and
 * inflates to what was written; a frame shared by several connections is compressed once. The
 * frames pass through Netty's per-channel encoder, in the pipeline as after a real handshake.
 */
class CompressedNettyWebSocketTransportTest extends TransportContract {

  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final List<EmbeddedPeer> peers = new ArrayList<>();

  @Override
  protected Opened open() {
    WebSocketServerExtension extension = new Deflate(1 << 20).accept("permessage-deflate; client_max_window_bits");
    assertThat(extension).isNotNull();
    assertThat(Deflate.defaultServerWindow(extension)).isTrue();
    EmbeddedChannel channel = new EmbeddedChannel();
    channels.add(channel);
    NettyWebSocket ws = new NettyWebSocket(channel, 1000);
    channel.pipeline().addLast(extension.newExtensionEncoder());
    channel.pipeline().addLast(ws);
    ws.compressShared();
    EmbeddedPeer peer = new EmbeddedPeer(channel, CompressedNettyWebSocketTransportTest::inflate);
    peers.add(peer);
    return new Opened(ws, peer);
  }

  /** RFC 7692 §7.2.2: the receiver appends 00 00 ff ff and inflates with a fresh context (no takeover). */
  static byte[] inflate(byte[] payload) {
    Inflater inflater = new Inflater(true);
    byte[] input = new byte[payload.length + 4];
    System.arraycopy(payload, 0, input, 0, payload.length);
    input[payload.length + 2] = (byte) 0xff;
    input[payload.length + 3] = (byte) 0xff;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      while (!inflater.needsInput()) {
        int n = inflater.inflate(buf);
        if (n == 0 && inflater.needsInput()) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new AssertionError("not a valid deflate payload", e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }

  @Test
  void aFrameSharedByConnectionsIsCompressedOnceAndEveryPeerInflatesIt() {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      big.append("{\"identifier\":\"{\\\"channel\\\":\\\"$pubsub\\\"}\",\"message\":").append(i).append('}');
    }
    byte[] shared = big.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(shared.length).isBetween(126 * 256, SharedFrames.MAX_CACHED);
    Opened a = open();
    Opened b = open();
    SharedFrames loop = SharedFrames.current();
    long compressions = loop.compressions;
    long reuses = loop.reuses;
    a.transport().writeFrame(shared, false, ok -> { });
    b.transport().writeFrame(shared, false, ok -> { });
    a.peer().flush();
    b.peer().flush();
    assertThat(loop.compressions - compressions).isEqualTo(1);
    assertThat(loop.reuses - reuses).isEqualTo(1);
    assertThat(peers.stream().mapToInt(EmbeddedPeer::compressed).sum()).isEqualTo(2);
    assertThat(a.peer().received()).singleElement().satisfies(f -> assertThat(f.bytes()).isEqualTo(shared));
    assertThat(b.peer().received()).singleElement().satisfies(f -> assertThat(f.bytes()).isEqualTo(shared));
  }

  /** A frame too big to keep is built for each write, and still arrives whole (64-bit length). */
  @Test
  void aFrameAboveTheCacheLimitIsBuiltPerWrite() {
    byte[] big = new byte[SharedFrames.MAX_CACHED + 70_000];
    java.util.Arrays.fill(big, (byte) 'x');
    Opened a = open();
    Opened b = open();
    long built = SharedFrames.current().built;
    a.transport().writeFrame(big, false, ok -> { });
    b.transport().writeFrame(big, false, ok -> { });
    a.peer().flush();
    b.peer().flush();
    assertThat(SharedFrames.current().built - built).isEqualTo(2);
    assertThat(a.peer().received()).singleElement().satisfies(f -> assertThat(f.bytes()).isEqualTo(big));
    assertThat(b.peer().received()).singleElement().satisfies(f -> assertThat(f.bytes()).isEqualTo(big));
  }

  /** The JDK's deflater has a 15-bit window: a client that asked for less keeps Netty's encoder. */
  @Test
  void aSmallerServerWindowIsLeftToNettysEncoder() {
    Deflate deflate = new Deflate(1 << 20);
    assertThat(Deflate.defaultServerWindow(deflate.accept("permessage-deflate; server_max_window_bits=10"))).isFalse();
    assertThat(Deflate.defaultServerWindow(deflate.accept("permessage-deflate; server_max_window_bits=15"))).isTrue();
    assertThat(Deflate.defaultServerWindow(deflate.accept("permessage-deflate"))).isTrue();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }
}
