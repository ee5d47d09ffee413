package io.vxcable.session.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vxcable.http.Fatal;
import io.vxcable.observability.Trace;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.Transport;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server WebSocket as the last handler of the Netty pipeline that Vert.x accepted, after the
 * handshake (see {@link WebSocketUpgrade}): frames go straight between the channel and the
 * session. Vert.x's own WebSocket keeps, per connection, the upgrade request and its headers and a
 * thread-safe outbound queue of about 4 KB; an idle subscribed connection here costs the Netty
 * channel, its codecs and this object.
 *
 * <p>Everything runs on the channel's event loop, which is the gateway context that owns the
 * session.
 */
final class NettyWebSocket extends ChannelInboundHandlerAdapter implements Transport {

  private static final Logger LOG = Logger.getLogger(NettyWebSocket.class.getName());

  private final Channel channel;
  private final long closingTimeoutMs;
  /** Where whole frames enter the pipeline: the channel, or the WebSocket encoder's context. */
  private ChannelOutboundInvoker frameWriter;
  private SessionEngine engine;
  private Session session;
  private boolean closeSent;
  private boolean inactive;
  private boolean pongInFlight;
  /** The payload of the latest ping received while a pong was in flight. */
  private ByteBuf nextPong;
  private ScheduledFuture<?> closingTimer;
  /** Bytes written and held for a coalesced flush: at most this many before a flush happens at once. */
  static final int FLUSH_AT = 16 * 1024;

  /** A flush is scheduled for what {@link #writeFrame} wrote while the event loop had more to do. */
  private boolean flushPending;
  private int unflushed;
  /** See {@link #directToSocket}; decided at the first write, when the pipeline is final. */
  private Boolean direct;
  /** A frame is being read; cleared when the read ends ({@link #channelReadComplete}). */
  private boolean inRead;
  /** {@link #pause} was asked during the read and not yet undone. */
  private boolean pauseAtReadEnd;
  /** permessage-deflate with the default server window: frames compressed once per loop ({@link SharedFrames}). */
  private boolean sharedDeflate;

  NettyWebSocket(Channel channel, long closingTimeoutMs) {
    this.channel = channel;
    this.closingTimeoutMs = closingTimeoutMs;
    this.frameWriter = channel;
  }

  /**
   * Whole frames ({@link SharedFrames}) are written from {@code encoder}'s place in the pipeline:
   * they need no WebSocket encoder and skip the handlers after it (anything before it, e.g. TLS,
   * still applies). Other frames (close, ping, pong) go through the encoders.
   */
  void writeFramesFrom(ChannelHandlerContext encoder) {
    this.frameWriter = encoder;
  }

  /** Frames written from now on are compressed through {@link SharedFrames}. */
  void compressShared() {
    this.sharedDeflate = true;
  }

  /** Binds the session whose frames this connection carries; called once, before any frame. */
  void bind(SessionEngine engine, Session session) {
    this.engine = engine;
    this.session = session;
  }

  /**
   * Turns a connection away without a session: {@code notice} (when not null), then a close
   * frame; inbound data is ignored until the peer answers or the closing timeout drops TCP.
   */
  void shed(byte[] notice, boolean binary, int code, String reason) {
    if (notice != null && !isClosed()) {
      channel.write(binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(notice))
          : new TextWebSocketFrame(Unpooled.wrappedBuffer(notice)), channel.voidPromise());
    }
    close(code, reason);
  }

  // ---- Transport ------------------------------------------------------------------------------

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    if (isClosed()) {
      done.written(false);
      return;
    }
    // The whole frame, built once per event loop for every connection that writes the same
    // array (a broadcast), compressed there when permessage-deflate is on; bytes pass the encoders.
    ByteBuf frame = SharedFrames.current().frame(bytes, binary, sharedDeflate, channel.alloc());
    boolean now = !flushPending && !loopHasWork();
    if (now && directToSocket()) {
      // Nothing held back and nothing else waits on the loop: out now. When the socket takes it
      // all (the usual case), the write is done before this returns: no promise, no listener.
      frameWriter.write(frame, channel.voidPromise());
      channel.flush();
      ChannelOutboundBuffer left = channel.unsafe().outboundBuffer();
      if (left != null && left.isEmpty() && channel.isActive()) {
        done.written(true);
      } else {
        // Part of it waits for the socket (or the write failed): told once everything before an
        // empty marker is written.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> done.written(f.isSuccess()));
      }
      return;
    }
    unflushed += frame.readableBytes();
    frameWriter.write(frame).addListener((ChannelFutureListener) f -> done.written(f.isSuccess()));
    if (unflushed >= FLUSH_AT || now) {
      // Enough is held back, or nothing else waits: out now. Holding more would count against
      // the connection's --ws_max_pending_size as if the client were slow.
      flushPending = false;
      unflushed = 0;
      channel.flush();
    } else if (!flushPending) {
      // More tasks wait on this event loop (under load: further broadcasts): flush once after
      // them, so a connection that gets several messages in a row sends them in one system call.
      flushPending = true;
      LoopFlushes.current().defer(this, channel.eventLoop());
    }
  }

  /**
   * Whether a whole frame goes from {@link #frameWriter} to the channel's outbound buffer without
   * any handler that could hold it (TLS, traffic shaping, anything unknown): only then does an
   * empty outbound buffer after a flush mean the frame reached the socket.
   */
  private boolean directToSocket() {
    if (direct == null) {
      boolean clear = true;
      for (Map.Entry<String, ChannelHandler> e : channel.pipeline()) {
        ChannelHandler h = e.getValue();
        if (h == this) {
          break;
        }
        if (h instanceof ChannelOutboundHandler && !(h instanceof WebSocketFrameEncoder) && !(h instanceof WebSocketExtensionEncoder)) {
          clear = false;
          break;
        }
      }
      direct = clear;
    }
    return direct;
  }

  private boolean loopHasWork() {
    return LoopFlushes.current().othersWaiting(channel.eventLoop());
  }

  /** The deferred flush ({@link LoopFlushes}). */
  void flushDeferred() {
    if (flushPending) {
      flushPending = false;
      unflushed = 0;
      channel.flush();
    }
  }

  @Override
  public boolean supportsNativePings() {
    return true;
  }

  @Override
  public void writeNativePing() {
    if (!isClosed()) {
      channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
    }
  }

  /**
   * Stops reading from the socket. Asked while a frame is handled, it waits for the end of the
   * read: a command handled at once (resumed before then) costs no system call; one that waits
   * for the application pauses the socket when the read ends.
   */
  @Override
  public void pause() {
    if (closeSent) {
      return;
    }
    if (inRead) {
      pauseAtReadEnd = true;
    } else {
      channel.config().setAutoRead(false);
    }
  }

  @Override
  public void resume() {
    if (!closeSent) {
      pauseAtReadEnd = false;
      channel.config().setAutoRead(true);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closeSent || inactive) {
      return;
    }
    closeSent = true;
    int status = code > 0 && WebSocketCloseStatus.isValidStatusCode(code) ? code : WebSocketCloseStatus.NORMAL_CLOSURE.code();
    channel.writeAndFlush(new CloseWebSocketFrame(status, reason == null ? "" : reason), channel.voidPromise());
    // The peer should answer with its close frame (read it even if the session had paused
    // reading); if it does not, drop the TCP connection.
    channel.config().setAutoRead(true);
    closingTimer = channel.eventLoop().schedule(this::drop, closingTimeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void terminate() {
    // Closing handshake first (it may never be read), then the closing timeout drops TCP.
    close(1011, "Write Failed");
  }

  @Override
  public boolean isClosed() {
    return closeSent || inactive;
  }

  private void drop() {
    channel.close();
  }

  // ---- inbound --------------------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    inRead = true;
    try {
      if (session == null) {
        // A shed connection: only the peer's close matters.
        if (msg instanceof CloseWebSocketFrame close) {
          onPeerClose(close.statusCode());
        }
      } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
        engine.onFrame(session, ByteBufUtil.getBytes(((WebSocketFrame) msg).content()));
      } else if (msg instanceof PingWebSocketFrame ping) {
        onPing(ping.content());
      } else if (msg instanceof PongWebSocketFrame) {
        engine.onNativePong(session);
      } else if (msg instanceof CloseWebSocketFrame close) {
        onPeerClose(close.statusCode());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Answers a ping with at most one pong in flight (RFC 6455 §5.5.3 allows answering only the
   * latest): while a pong is unwritten, later pings only replace the payload of the next one. The
   * pong counts toward the session's pending bytes, so a client that pings and never reads is
   * dropped by the write timeout or as too slow, like one that never reads its messages.
   */
  private void onPing(ByteBuf payload) {
    if (isClosed() || session == null) {
      return;
    }
    // A copy of at most 125 bytes: the frame's buffer may be a slice of a large read buffer.
    ByteBuf copy = Unpooled.copiedBuffer(payload);
    if (pongInFlight) {
      if (nextPong != null) {
        nextPong.release();
      }
      nextPong = copy;
      return;
    }
    sendPong(copy);
  }

  private void sendPong(ByteBuf payload) {
    int size = payload.readableBytes() + 2;
    if (!session.reserveControl(size)) {
      payload.release();
      return;
    }
    pongInFlight = true;
    channel.writeAndFlush(new PongWebSocketFrame(payload)).addListener((ChannelFutureListener) f -> {
      pongInFlight = false;
      session.releaseControl(size, f.isSuccess());
      ByteBuf next = nextPong;
      nextPong = null;
      if (next != null) {
        if (isClosed()) {
          next.release();
        } else {
          sendPong(next);
        }
      }
    });
  }

  /** The peer starts or answers the closing handshake. */
  private void onPeerClose(int status) {
    if (closeSent) {
      drop();
      return;
    }
    closeSent = true;
    // No status in the peer's frame (-1, which Netty counts as valid): answer with none either.
    CloseWebSocketFrame echo = status < 0 ? new CloseWebSocketFrame()
        : new CloseWebSocketFrame(WebSocketCloseStatus.isValidStatusCode(status) ? status : WebSocketCloseStatus.PROTOCOL_ERROR.code(), "");
    channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    inRead = false;
    if (pauseAtReadEnd) {
      pauseAtReadEnd = false;
      if (!closeSent) {
        channel.config().setAutoRead(false);
      }
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive = true;
    inRead = false;
    pauseAtReadEnd = false;
    if (nextPong != null) {
      nextPong.release();
      nextPong = null;
    }
    if (closingTimer != null) {
      closingTimer.cancel(false);
      closingTimer = null;
    }
    if (session != null) {
      engine.onClosed(session);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.check(cause);
    if (session == null) {
      drop();
      return;
    }
    if (cause instanceof TooLongFrameException || cause instanceof DecompressionException
        || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
            && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
      // An oversized frame or message (inflated ones included): anycable-go (gorilla) answers
      // with 1009 and ends the session.
      Trace.log(LOG, Level.FINE, session.sid(), cause::getMessage);
      session.close(1009, "Message Too Big");
    } else if (cause instanceof CorruptedWebSocketFrameException) {
      Trace.log(LOG, Level.FINE, session.sid(), cause::getMessage);
      session.close(1002, "Protocol Error");
    } else {
      Trace.log(LOG, Level.FINE, session.sid(), cause::toString);
      drop();
    }
  }
}
