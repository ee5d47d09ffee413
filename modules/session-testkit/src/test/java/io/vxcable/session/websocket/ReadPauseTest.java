package io.vxcable.session.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pausing the socket while a command is handled: asked during a read, the pause waits for the end
 * of the read, so a command handled at once (paused and resumed within the read) never stops the
 * socket, and one still pending when the read ends does.
 */
class ReadPauseTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final NettyWebSocket ws = new NettyWebSocket(channel, 1000);
  /** What the "session" does while the frame is handled (after the WebSocket handler got it). */
  private Runnable duringRead = () -> { };
  /** autoRead as seen at the end of the frame's handling, before the read ended. */
  private Boolean autoReadDuringRead;

  ReadPauseTest() {
    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        duringRead.run();
        autoReadDuringRead = channel.config().isAutoRead();
      }
    });
    channel.pipeline().addLast(ws);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void readOneFrame() {
    channel.pipeline().fireChannelRead(new TextWebSocketFrame("{}"));
  }

  @Test
  void aPauseOutsideAReadStopsTheSocketAtOnce() {
    ws.pause();
    assertThat(channel.config().isAutoRead()).isFalse();
    ws.resume();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aPauseDuringAReadTakesEffectWhenTheReadEnds() {
    duringRead = ws::pause;
    readOneFrame();
    assertThat(autoReadDuringRead).isTrue();
    channel.pipeline().fireChannelReadComplete();
    assertThat(channel.config().isAutoRead()).isFalse();
    ws.resume();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aCommandAnsweredWithinTheReadNeverStopsTheSocket() {
    assertThat(readingAfterACommandAnsweredAtOnce()).isTrue();
  }

  @Test
  void aResumeAfterARealPauseStartsReadingAgainEvenDuringARead() {
    ws.pause();
    assertThat(readingAfterACommandAnsweredAtOnce()).isTrue();
  }

  /** A frame whose command is paused for and answered before the read ends; whether the socket reads after. */
  private boolean readingAfterACommandAnsweredAtOnce() {
    duringRead = () -> {
      ws.pause();
      ws.resume();
    };
    readOneFrame();
    channel.pipeline().fireChannelReadComplete();
    return channel.config().isAutoRead();
  }
}
