package io.vxcable.session.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vxcable.session.testkit.TransportContract.Frame;
import io.vxcable.session.testkit.TransportContract.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The client end of an in-memory channel: reads what the transport wrote, whether prebuilt frame
 * bytes ({@link ServerFrames}) or frame objects. A payload sent with RSV1 goes through
 * {@code inflate} first (permessage-deflate); {@link #compressed()} counts those.
 */
final class EmbeddedPeer implements Peer {

  private final EmbeddedChannel channel;
  private final UnaryOperator<byte[]> inflate;
  private final List<Frame> frames = new ArrayList<>();
  private int closeCode = -1;
  private boolean closeSeen;
  private int compressed;

  EmbeddedPeer(EmbeddedChannel channel, UnaryOperator<byte[]> inflate) {
    this.channel = channel;
    this.inflate = inflate;
  }

  @Override
  public List<Frame> received() {
    drain();
    return frames;
  }

  @Override
  public void flush() {
    channel.runPendingTasks();
    drain();
  }

  @Override
  public boolean closed() {
    drain();
    return closeSeen || !channel.isOpen();
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

  private void drain() {
    Object msg;
    while ((msg = channel.readOutbound()) != null) {
      if (msg instanceof ByteBuf raw) {
        for (ServerFrames.Raw f : ServerFrames.read(raw)) {
          byte[] payload = f.payload();
          if (f.rsv1()) {
            compressed++;
            payload = inflate.apply(payload);
          }
          frames.add(new Frame(f.binary(), payload));
        }
      } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
        frames.add(new Frame(msg instanceof BinaryWebSocketFrame, ByteBufUtil.getBytes(((WebSocketFrame) msg).content())));
      } else if (msg instanceof CloseWebSocketFrame close) {
        closeSeen = true;
        closeCode = close.statusCode();
      }
      ReferenceCountUtil.release(msg);
    }
  }
}
