package io.vxcable.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Request deadlines on one HTTP/1.x connection, as Netty handlers around Vert.x's codec: a head must
 * be complete within {@link HttpLimits#readHeaderTimeoutMs()} (slowloris and silent sockets), a whole
 * request within {@link HttpLimits#readTimeoutMs()}, and a kept-alive connection may stay silent, or
 * leave a response unread, for {@link HttpLimits#idleTimeoutMs()}. One timer per connection, armed
 * only while a deadline exists. A WebSocket upgrade removes the guard: the session's pings take over.
 *
 * <p>Two handlers: one before the HTTP decoder sees the first raw byte of each request, one before
 * Vert.x's connection handler sees decoded request parts and the responses written.
 */
public final class ConnectionGuard extends ChannelDuplexHandler {

  /** Name of the handler before Vert.x's connection handler. */
  public static final String NAME = "vxcable-guard";
  private static final String BYTES = "vxcable-guard-bytes";
  private static final String VERTX_DECODER = "httpDecoder";
  private static final String VERTX_HANDLER = "handler";
  private static final long ORIGIN = System.nanoTime();
  private static final long LINGER_MS = 1000;
  private static final Set<HttpVersion> HTTP_1 = Set.of(HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1);

  private final HttpLimits limits;
  private final LongSupplier clockMs;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private long timerAt;
  private boolean removed;

  /** When the pending head started (the connection's opening, then the first byte); 0 = none. */
  private long headStart;
  /** A byte of the pending head arrived (a silent socket gets no 408). */
  private boolean headBytes;
  /** The head arrived and the body has not ended. */
  private boolean bodyPending;
  /** Requests read whose response has not been flushed to the socket. */
  private int unanswered;
  /** The response to the oldest unanswered request has started. */
  private boolean responseStarted;
  /** When the last request ended while its response was pending, or the connection went idle. */
  private long waitingSince;
  /** Bytes of a next request arrived while a response was pending. */
  private boolean bytesWhileAnswering;

  ConnectionGuard(HttpLimits limits, LongSupplier clockMs) {
    this.limits = limits;
    this.clockMs = clockMs;
  }

  /**
   * Guards a connection Vert.x just accepted (call from the server's connection handler). HTTP/2
   * connections and pipelines without Vert.x's HTTP/1.x codec are left alone.
   */
  public static void install(HttpConnection conn, HttpLimits limits) {
    if (!(conn instanceof HttpServerConnection http)) {
      return;
    }
    ChannelPipeline p = http.channelHandlerContext().pipeline();
    if (p.get(VERTX_DECODER) == null || p.get(VERTX_HANDLER) == null || p.get(NAME) != null) {
      return;
    }
    install(p, limits, VERTX_DECODER, VERTX_HANDLER, ConnectionGuard::monotonicMs);
  }

  /** Adds the guard to a pipeline: the byte watcher before {@code decoder}, the guard before {@code handler}. */
  static ConnectionGuard install(ChannelPipeline p, HttpLimits limits, String decoder, String handler, LongSupplier clockMs) {
    ConnectionGuard guard = new ConnectionGuard(limits, clockMs);
    p.addBefore(decoder, BYTES, guard.new ByteWatcher());
    p.addBefore(handler, NAME, guard);
    return guard;
  }

  /** Removes the guard, e.g. once the connection became a WebSocket. */
  public static void uninstall(ChannelPipeline p) {
    if (p.get(NAME) != null) {
      p.remove(NAME);
    }
    if (p.get(BYTES) != null) {
      p.remove(BYTES);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    headStart = now();
    if (ctx.channel().isActive()) {
      reschedule();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    reschedule();
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    removed = true;
    cancelTimer();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    removed = true;
    cancelTimer();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    Fatal.check(cause);
    super.exceptionCaught(ctx, cause);
  }

  // ---- inbound --------------------------------------------------------------------------------

  /** The first raw byte after a quiet period starts the next head's deadline. */
  private final class ByteWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf b && b.isReadable()) {
        onBytes();
      }
      super.channelRead(ctx, msg);
    }
  }

  private void onBytes() {
    if (bodyPending) {
      return;
    }
    if (unanswered > 0) {
      bytesWhileAnswering = true;
      return;
    }
    headBytes = true;
    if (headStart == 0) {
      headStart = now();
      reschedule();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (removed) {
      // Answered and closing: nothing more reaches the server.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest req && !HTTP_1.contains(req.protocolVersion())) {
      // Only HTTP/1.x is served here (an h2c preface reads as "PRI * HTTP/2.0").
      ReferenceCountUtil.release(msg);
      answerAndClose(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
      return;
    }
    if (msg instanceof HttpRequest) {
      if (headStart == 0) {
        headStart = now();
      }
      unanswered++;
      bodyPending = true;
      headBytes = false;
    }
    if (msg instanceof LastHttpContent && bodyPending) {
      bodyPending = false;
      headStart = 0;
      waitingSince = now();
    }
    reschedule();
    super.channelRead(ctx, msg);
  }

  // ---- outbound -------------------------------------------------------------------------------

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse) {
      responseStarted = true;
    }
    if (msg instanceof LastHttpContent && unanswered > 0) {
      ChannelPromise flushed = promise.unvoid();
      flushed.addListener((ChannelFutureListener) f -> onResponseFlushed());
      super.write(ctx, msg, flushed);
      return;
    }
    super.write(ctx, msg, promise);
  }

  private void onResponseFlushed() {
    if (removed || unanswered == 0) {
      return;
    }
    unanswered--;
    responseStarted = false;
    waitingSince = now();
    if (unanswered == 0 && !bodyPending && bytesWhileAnswering) {
      // A pipelined request started while we answered: its head is now what we wait for.
      headStart = waitingSince;
      headBytes = true;
    }
    bytesWhileAnswering = false;
    reschedule();
  }

  // ---- deadlines ------------------------------------------------------------------------------

  /** The current deadline in ticker milliseconds; 0 = none. */
  long deadline() {
    if (bodyPending) {
      return at(headStart, limits.readTimeoutMs());
    }
    if (unanswered > 0) {
      // The request is in; the server answers, then the client must take the answer.
      return at(waitingSince, limits.idleTimeoutMs());
    }
    if (headStart > 0) {
      long header = at(headStart, limits.readHeaderTimeoutMs());
      long read = at(headStart, limits.readTimeoutMs());
      return header == 0 ? read : read == 0 ? header : Math.min(header, read);
    }
    return at(waitingSince, limits.idleTimeoutMs());
  }

  private static long at(long since, long timeout) {
    return timeout == 0 ? 0 : since + timeout;
  }

  private void reschedule() {
    if (removed || ctx == null) {
      return;
    }
    long d = deadline();
    if (d == 0 || (timer != null && timerAt <= d)) {
      // No deadline, or the armed timer fires first and looks again.
      return;
    }
    cancelTimer();
    timerAt = d;
    timer = ctx.executor().schedule(this::onTimer, Math.max(0, d - now()), TimeUnit.MILLISECONDS);
  }

  private void onTimer() {
    timer = null;
    if (removed) {
      return;
    }
    long d = deadline();
    if (d == 0) {
      return;
    }
    if (now() < d) {
      reschedule();
      return;
    }
    expire();
  }

  private void expire() {
    boolean requestTimedOut = bodyPending || (headStart > 0 && headBytes && unanswered == 0);
    if (requestTimedOut && !responseStarted) {
      answerAndClose(HttpResponseStatus.REQUEST_TIMEOUT);
    } else {
      removed = true;
      ctx.channel().close();
    }
  }

  /**
   * Answers with {@code status} and {@code Connection: close}, stops sending, and closes a second
   * later: closing at once with unread bytes in the socket would reset the connection and the
   * client could lose the answer.
   */
  private void answerAndClose(HttpResponseStatus status) {
    removed = true;
    cancelTimer();
    FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).set(HttpHeaderNames.CONTENT_LENGTH, 0);
    Channel channel = ctx.channel();
    ctx.writeAndFlush(answer).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess() && channel instanceof SocketChannel socket) {
        socket.shutdownOutput();
      }
    });
    channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Milliseconds since this class loaded, from 1 (0 means "no time" in the fields above). */
  private static long monotonicMs() {
    return (System.nanoTime() - ORIGIN) / 1_000_000 + 1;
  }

  private long now() {
    return clockMs.getAsLong();
  }
}
