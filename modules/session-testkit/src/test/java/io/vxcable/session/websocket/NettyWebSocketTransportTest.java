package io.vxcable.session.websocket;

import io.netty.channel.embedded.EmbeddedChannel;
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
    // Uncompressed: a frame with RSV1 would be a failure of the test's premise.
    Peer peer = new EmbeddedPeer(channel, payload -> {
      throw new AssertionError("a compressed frame without permessage-deflate");
    });
    return new Opened(ws, peer);
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }
}
