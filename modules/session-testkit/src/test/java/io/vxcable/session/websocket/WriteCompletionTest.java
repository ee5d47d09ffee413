package io.vxcable.session.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a frame's write is reported done: at once when nothing between the session and the socket
 * can hold it and the socket took it, but only once it really left when a handler in front (TLS,
 * say) holds it.
 */
class WriteCompletionTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final List<Boolean> outcomes = new ArrayList<>();

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private NettyWebSocket webSocket() {
    NettyWebSocket ws = new NettyWebSocket(channel, 1000);
    channel.pipeline().addLast(ws);
    return ws;
  }

  private void write(NettyWebSocket ws) {
    ws.writeFrame("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false, outcomes::add);
  }

  @Test
  void aFrameTheSocketTookIsReportedBeforeTheWriteReturns() {
    NettyWebSocket ws = webSocket();
    write(ws);
    assertThat(outcomes).containsExactly(true);
    assertThat(channel.outboundMessages()).hasSize(1);
  }

  @Test
  void aFrameHeldInFrontOfTheSocketIsReportedOnlyOnceItLeaves() {
    Holding holding = new Holding();
    channel.pipeline().addLast(holding);
    NettyWebSocket ws = webSocket();
    write(ws);
    assertThat(outcomes).isEmpty();
    holding.release();
    channel.flush();
    assertThat(outcomes).containsExactly(true);
  }

  @Test
  void aWriteOnAClosedChannelIsReportedFailed() {
    NettyWebSocket ws = webSocket();
    channel.close();
    write(ws);
    assertThat(outcomes).containsExactly(false);
  }

  /** An outbound handler that keeps writes until released, like TLS before its handshake. */
  private static final class Holding extends ChannelOutboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private final List<Object> messages = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      this.ctx = ctx;
      messages.add(msg);
      promises.add(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      // held: nothing goes further until release()
    }

    void release() {
      for (int i = 0; i < messages.size(); i++) {
        ctx.write(messages.get(i), promises.get(i));
      }
      ctx.flush();
    }
  }
}
