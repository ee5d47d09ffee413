package io.vxcable.session.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.http.Fatal;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SSE response as a session's transport. Until the endpoint {@link #establish establishes} it
 * (authenticated, every subscription confirmed) frames wait in a backlog, as in anycable-go, so a
 * rejected request can still be answered with a plain 401 or 400. Established, it takes the Netty
 * channel over from Vert.x the way the WebSocket upgrade does: the response head and the backlog
 * are written, then every frame is one chunk of the response, flushed at once and acknowledged when
 * it reached the socket (so a reader that stops reading is handled like a slow WebSocket client).
 * An idle stream costs the channel, its HTTP encoder and this object.
 *
 * <p>Everything runs on the channel's event loop, which is the gateway context owning the session.
 */
final class SseTransport extends ChannelInboundHandlerAdapter implements Transport {

  private static final String VERTX_HANDLER = "handler";
  private static final String VERTX_DECODER = "httpDecoder";

  private final Channel channel;
  private SessionEngine engine;
  private Session session;
  /** Frames before the response head; null once established or ended. */
  private List<byte[]> backlog = new ArrayList<>(4);
  private boolean established;
  /** The session asked to end (the stream ends once established; the endpoint answers otherwise). */
  private boolean closeRequested;
  private boolean ended;
  private final SseStats stats;
  private final long closingTimeoutMs;

  SseTransport(Channel channel, SseStats stats, long closingTimeoutMs) {
    this.channel = channel;
    this.stats = stats;
    this.closingTimeoutMs = closingTimeoutMs;
  }

  void bind(SessionEngine engine, Session session) {
    this.engine = engine;
    this.session = session;
    // Until established, Vert.x owns the channel: the session learns of a peer gone from here.
    channel.closeFuture().addListener(f -> channel.eventLoop().execute(() -> {
      if (!established) {
        ended = true;
        backlog = null;
        engine.onClosed(session);
      }
    }));
  }

  /** Whether the session asked to close before the stream was established. */
  boolean closeRequested() {
    return closeRequested;
  }

  /**
   * Answers 200 with {@code headers}, writes the backlog and streams from now on. The Vert.x
   * request must have ended; its connection handler is replaced by this transport.
   */
  void establish(HttpHeaders headers) {
    if (ended || !channel.isActive()) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    ConnectionGuard.uninstall(pipeline);
    if (pipeline.get("chunkedWriter") != null) {
      pipeline.remove("chunkedWriter");
    }
    pipeline.replace(VERTX_HANDLER, "sse", this);
    // The client says nothing more: its HTTP decoder (and the buffers it keeps) can go; stray
    // bytes reach channelRead() raw and are dropped.
    if (pipeline.get(VERTX_DECODER) != null) {
      pipeline.remove(VERTX_DECODER);
    }
    established = true;
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers);
    HttpHeaders h = head.headers();
    h.set("Transfer-Encoding", "chunked");
    channel.write(head, channel.voidPromise());
    List<byte[]> waiting = backlog;
    backlog = null;
    for (byte[] frame : waiting) {
      if (frame.length > 0) {
        channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
      }
    }
    channel.flush();
    stats.live++;
    if (closeRequested) {
      end();
    }
  }

  /** Forgets the backlog of a stream that will not be established and ends its session. */
  void abandon() {
    backlog = null;
    ended = true;
    engine.onClosed(session);
  }

  // ---- Transport ------------------------------------------------------------------------------

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    if (ended || closeRequested && established) {
      done.written(false);
      return;
    }
    if (!established) {
      // Held in memory until the head is written; the session counts it as written.
      backlog.add(bytes);
      done.written(true);
      return;
    }
    if (bytes.length == 0) {
      done.written(true);
      return;
    }
    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
        .addListener((ChannelFutureListener) f -> done.written(f.isSuccess()));
  }

  @Override
  public boolean supportsBinary() {
    return false;
  }

  @Override
  public void writeNativePing() {
    // SSE has no transport-level ping: the ping events are the keep-alive.
  }

  @Override
  public void pause() {
    // Nothing is read from an SSE client after its request.
  }

  @Override
  public void resume() {
    // See pause().
  }

  @Override
  public void close(int code, String reason) {
    if (closeRequested || ended) {
      return;
    }
    closeRequested = true;
    if (established) {
      end();
    }
  }

  /**
   * Ends the chunked response once what was written is flushed, then closes the connection; a
   * reader that does not take it within the closing timeout (the write timeout) is cut off.
   */
  private void end() {
    ended = true;
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, closingTimeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void terminate() {
    ended = true;
    channel.close();
  }

  @Override
  public boolean isClosed() {
    return closeRequested || ended || !channel.isActive();
  }

  // ---- the channel, once established ------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // A client sends nothing after its request (a pipelined request is not answered).
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ended = true;
    stats.live--;
    if (session != null) {
      engine.onClosed(session);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.check(cause);
    channel.close();
  }
}
