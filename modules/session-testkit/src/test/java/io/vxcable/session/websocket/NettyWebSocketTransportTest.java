package io.vxcable.session.websocket;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vxcable.session.testkit.TransportContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The WebSocket transport on an in-memory channel: what it writes is what the peer reads. */
class NettyWebSocketTransportTest extends TransportContract {

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @Override
  protected Opened open() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channels.add(channel);
    NettyWebSocket ws = new NettyWebSocket(channel, 1000);
    channel.pipeline().addLast(ws);
    Peer peer = new Peer() {
      final List<Frame> frames = new ArrayList<>();
      int closeCode = -1;
      boolean closeSeen;

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

      private void drain() {
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
          if (msg instanceof io.netty.buffer.ByteBuf raw) {
            for (ServerFrames.Raw f : ServerFrames.read(raw)) {
              frames.add(new Frame(f.binary(), f.payload()));
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
    };
    return new Opened(ws, peer);
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }
}
