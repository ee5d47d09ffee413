package io.vxcable.session.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vxcable.session.testkit.EmbeddedChannelPeer;
import io.vxcable.session.testkit.TransportContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSE transport on an in-memory channel, established: every frame is one chunk of the
 * response after its head, and a close ends the response.
 */
class SseTransportTest extends TransportContract {

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  /** A channel shaped like Vert.x's HTTP/1.x pipeline end, and the transport on it, not yet established. */
  private SseTransport fresh(EmbeddedChannel channel) {
    channels.add(channel);
    channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
    return new SseTransport(channel, new SseStats(), 1000);
  }

  @Override
  protected Opened open() {
    EmbeddedChannel channel = new EmbeddedChannel();
    SseTransport sse = fresh(channel);
    sse.establish(new DefaultHttpHeaders());
    return new Opened(sse, new ResponsePeer(channel));
  }

  @Test
  void framesBeforeTheHeadWaitAndFollowIt() {
    EmbeddedChannel channel = new EmbeddedChannel();
    SseTransport sse = fresh(channel);
    List<Boolean> outcomes = new ArrayList<>();
    sse.writeFrame("event: welcome\ndata: {}\n\n".getBytes(), false, outcomes::add);
    sse.writeFrame(SseProtocol.NOTHING, false, outcomes::add);
    ResponsePeer peer = new ResponsePeer(channel);
    assertThat(peer.head).isNull();
    assertThat(peer.received()).isEmpty();
    sse.establish(new DefaultHttpHeaders().add("Content-Type", "text/event-stream; charset=utf-8"));
    sse.writeFrame("data: live\n\n".getBytes(), false, outcomes::add);
    assertThat(peer.received()).extracting(Frame::text).containsExactly("event: welcome\ndata: {}\n\n", "data: live\n\n");
    assertThat(peer.head.status().code()).isEqualTo(200);
    assertThat(peer.head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(outcomes).containsExactly(true, true, true);
  }

  @Test
  void aCloseBeforeTheHeadLeavesTheAnswerToTheEndpoint() {
    EmbeddedChannel channel = new EmbeddedChannel();
    SseTransport sse = fresh(channel);
    sse.close(1000, "Auth Failed");
    assertThat(sse.closeRequested()).isTrue();
    assertThat(sse.isClosed()).isTrue();
    assertThat(channel.isOpen()).as("the endpoint still answers 401 on it").isTrue();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** What a client reads: the head, then chunks; the last chunk or the end of TCP closes. */
  static final class ResponsePeer extends EmbeddedChannelPeer {
    HttpResponse head;

    ResponsePeer(EmbeddedChannel channel) {
      super(channel);
    }

    @Override
    public int closeCode() {
      return -1;
    }

    @Override
    protected void read(Object msg) {
      if (msg instanceof HttpResponse r) {
        head = r;
      }
      if (msg instanceof LastHttpContent) {
        ended();
      } else if (msg instanceof HttpContent c) {
        frame(false, ByteBufUtil.getBytes(c.content()));
      }
    }
  }
}
