package io.vxcable.session.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vxcable.session.testkit.EmbeddedChannelPeer;
import java.util.function.UnaryOperator;

/**
 * The client end of an in-memory channel: reads what the transport wrote, whether prebuilt frame
 * bytes ({@link ServerFrames}) or frame objects. A payload sent with RSV1 goes through
 * {@code inflate} first (permessage-deflate); {@link #compressed()} counts those.
 */
final class EmbeddedPeer extends EmbeddedChannelPeer {

  private final UnaryOperator<byte[]> inflate;
  private int closeCode = -1;
  private int compressed;

  EmbeddedPeer(EmbeddedChannel channel, UnaryOperator<byte[]> inflate) {
    super(channel);
    this.inflate = inflate;
  }

  @Override
  public int closeCode() {
    drain();
    return closeCode;
  }

  int compressed() {
    drain();
    return compressed;
  }

  @Override
  protected void read(Object msg) {
    if (msg instanceof ByteBuf raw) {
      for (ServerFrames.Raw f : ServerFrames.read(raw)) {
        byte[] payload = f.payload();
        if (f.rsv1()) {
          compressed++;
          payload = inflate.apply(payload);
        }
        frame(f.binary(), payload);
      }
    } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
      frame(msg instanceof BinaryWebSocketFrame, ByteBufUtil.getBytes(((WebSocketFrame) msg).content()));
    } else if (msg instanceof CloseWebSocketFrame close) {
      ended();
      closeCode = close.statusCode();
    }
  }
}
