package io.vxcable.session.poll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.http.Fatal;
import io.vxcable.http.HttpLimits;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 connection of long-poll requests, taken over from Vert.x once its first poll request
 * was read (as the WebSocket upgrade and SSE do): Vert.x's connection handler and encoder are
 * replaced by this handler, which serves every later request of the keep-alive connection with
 * Netty's HTTP decoder and writes whole answers as bytes ({@link PollResponses}). While a request is
 * served the decoder is out of the pipeline too (a fresh one comes back once the answer is
 * written), so a waiting poll costs the channel, this handler and a small {@link NettyExchange};
 * the request's headers are dropped once read.
 *
 * <p>Requests are served one at a time, in order: bytes of a next (pipelined) request that arrive
 * while one is served wait, raw, until its answer is written, reading stopping meanwhile. Only
 * {@code POST} and {@code OPTIONS} to the poll path are served; anything else (another path or
 * method, a malformed request or another HTTP version, a body over {@code --poll_max_request_size})
 * is answered 404, 405, 400, 505 or 413 with {@code Connection: close}, and the connection closes.
 *
 * <p>Deadlines ({@link HttpLimits}): between requests the connection may stay silent, or hold a
 * half-sent head, for {@code --http_idle_timeout}; a request's body must arrive within
 * {@code --http_read_timeout} of its head (408 and close otherwise); an answer the client does not
 * take within {@code --http_idle_timeout} closes the connection. A waiting poll arms no timer of
 * the connection's: the session's {@code --poll_interval} bounds it. Everything runs on the
 * channel's event loop.
 */
final class PollConnection extends ChannelInboundHandlerAdapter {

  private static final String VERTX_HANDLER = "handler";
  private static final String DECODER = "httpDecoder";
  private static final String ENCODER = "httpEncoder";
  private static final String NAME = "lp";
  /** Vert.x's defaults for the request line and the head, as its own decoder had. */
  private static final HttpDecoderConfig DECODING = new HttpDecoderConfig()
      .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192);

  final Channel channel;
  private final LongPollingEndpoint endpoint;
  private final ContextInternal context;
  private final String remote;
  /** The handler after the decoder: a decoder put back goes before it. */
  private String afterDecoder;
  /** The head of the request being read; null between requests. */
  private HttpRequest head;
  private ByteBuf body;
  /** The session of the request whose body is being read, told it {@link PollSession#arrived}; null otherwise. */
  private PollSession counting;
  /** The request read and not answered yet; null between requests. */
  private NettyExchange current;
  /** Raw bytes that arrived while a request was served (a pipelined request); null when none. */
  private ByteBuf unread;
  private ScheduledFuture<?> deadline;
  private boolean closing;

  private PollConnection(Channel channel, LongPollingEndpoint endpoint, Context context, String remote) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.context = (ContextInternal) context;
    this.remote = remote;
  }

  /** Whether the request arrived on a Vert.x HTTP/1.1 connection that can be taken over. */
  static boolean applies(HttpServerRequest req) {
    return req.version() == HttpVersion.HTTP_1_1 && req.connection() instanceof HttpServerConnection conn
        && conn.channelHandlerContext().pipeline().get(VERTX_HANDLER) != null
        && conn.channelHandlerContext().pipeline().get(DECODER) != null;
  }

  /**
   * Takes the connection of {@code req} (read whole, not answered) over from Vert.x; the returned
   * handler answers it through {@link #exchange}. Call on the connection's context.
   */
  static PollConnection takeOver(HttpServerRequest req, LongPollingEndpoint endpoint, Context here) {
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    String remote = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
    PollConnection conn = new PollConnection(channel, endpoint, here, remote);
    conn.current = new NettyExchange(conn, req.getHeader("Origin"), keepAlive(req.getHeader("Connection")));
    ChannelPipeline pipeline = channel.pipeline();
    ConnectionGuard.uninstall(pipeline);
    if (pipeline.get("chunkedWriter") != null) {
      pipeline.remove("chunkedWriter");
    }
    pipeline.replace(VERTX_HANDLER, NAME, conn);
    // Answers are written as bytes (PollResponses).
    if (pipeline.get(ENCODER) != null) {
      pipeline.remove(ENCODER);
    }
    conn.dropDecoder();
    return conn;
  }

  private static boolean keepAlive(String connection) {
    return connection == null || !connection.toLowerCase(Locale.ROOT).contains("close");
  }

  /** The exchange of the request being served, for a session on {@code sessionContext}. */
  PollExchange exchange(Context sessionContext) {
    current.sessionContext = sessionContext;
    return current;
  }

  // ---- inbound --------------------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf bytes) {
      // No decoder: a request is being served (or its decoder left these when it was removed).
      if (unread == null) {
        unread = bytes;
        channel.config().setAutoRead(false);
      } else {
        unread = Unpooled.wrappedBuffer(unread, bytes);
      }
      return;
    }
    process(msg);
  }

  private void process(Object msg) {
    if (msg instanceof HttpRequest req) {
      if (req.decoderResult().isFailure()) {
        refuse(HttpResponseStatus.BAD_REQUEST);
        return;
      }
      if (req.protocolVersion().majorVersion() != 1) {
        refuse(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
        return;
      }
      if (!endpoint.path().equals(path(req.uri()))) {
        refuse(HttpResponseStatus.NOT_FOUND);
        return;
      }
      if (req.method() != HttpMethod.POST && req.method() != HttpMethod.OPTIONS) {
        refuse(HttpResponseStatus.METHOD_NOT_ALLOWED);
        return;
      }
      if (HttpUtil.getContentLength(req, -1L) > endpoint.options().maxRequestSize()) {
        refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        return;
      }
      head = req;
      arm(endpoint.limits().readTimeoutMs());
      String id = req.headers().get(LongPollingEndpoint.POLL_ID);
      PollSession session = id == null || id.isEmpty() ? null : endpoint.session(id);
      if (session != null) {
        // Its keepalive stops while the body is read.
        counting = session;
        session.context().runOnContext(v -> session.arrived());
      }
      if (HttpUtil.is100ContinueExpected(req)) {
        channel.writeAndFlush(PollResponses.continue100(channel.alloc()));
      }
    }
    if (msg instanceof HttpContent part) {
      try {
        if (head == null) {
          return;
        }
        if (part.decoderResult().isFailure()) {
          refuse(HttpResponseStatus.BAD_REQUEST);
          return;
        }
        ByteBuf bytes = part.content();
        if (bytes.isReadable()) {
          int size = body == null ? 0 : body.readableBytes();
          if ((long) size + bytes.readableBytes() > endpoint.options().maxRequestSize()) {
            refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
          }
          if (body == null) {
            body = Unpooled.buffer(bytes.readableBytes());
          }
          body.writeBytes(bytes);
        }
      } finally {
        ReferenceCountUtil.release(part);
      }
      if (msg instanceof LastHttpContent && head != null && !closing) {
        read();
      }
    }
  }

  /** The request was read whole: its headers give way to what the endpoint needs, and it is served. */
  private void read() {
    HttpRequest req = head;
    head = null;
    cancelDeadline();
    Buffer content = Buffer.buffer();
    if (body != null) {
      byte[] copy = new byte[body.readableBytes()];
      body.readBytes(copy);
      body.release();
      body = null;
      content = Buffer.buffer(copy);
    }
    HttpHeaders h = req.headers();
    NettyExchange ex = new NettyExchange(this, h.get(HttpHeaderNames.ORIGIN), HttpUtil.isKeepAlive(req));
    current = ex;
    // Nothing is decoded until the answer is written.
    dropDecoder();
    if (req.method() == HttpMethod.OPTIONS) {
      ex.write(200, null, null, null, ok -> { });
      return;
    }
    String id = h.get(LongPollingEndpoint.POLL_ID);
    PollRequest r = id != null && !id.isEmpty()
        ? new PollRequest(id, JsonLines.split(content), null, null)
        : new PollRequest(id, JsonLines.split(content), PollHeads.requestInfo(req, remote,
            channel.pipeline().get(SslHandler.class) != null, endpoint.engine().options()), PollHeads.sid(req));
    boolean counted = counting != null;
    counting = null;
    context.emit(v -> endpoint.serve(r, context, this::exchange, counted));
  }

  private static String path(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** Removes the HTTP decoder; what it held of a next request comes back here raw, to {@link #unread}. */
  private void dropDecoder() {
    ChannelPipeline p = channel.pipeline();
    List<String> names = p.names();
    int at = names.indexOf(DECODER);
    if (at < 0) {
      return;
    }
    afterDecoder = names.get(at + 1);
    p.remove(DECODER);
  }

  /** Puts a fresh decoder back and gives it the bytes that arrived meanwhile. */
  private void restoreDecoder() {
    ChannelPipeline p = channel.pipeline();
    if (p.get(DECODER) != null || p.get(afterDecoder) == null) {
      return;
    }
    HttpRequestDecoder decoder = new HttpRequestDecoder(DECODING);
    p.addBefore(afterDecoder, DECODER, decoder);
    ByteBuf bytes = unread;
    unread = null;
    channel.config().setAutoRead(true);
    if (bytes != null) {
      // Straight to the new decoder (a read from the pipeline's head would go through TLS again).
      try {
        decoder.channelRead(p.context(decoder), bytes);
      } catch (Exception e) {
        Fatal.check(e);
        closing = true;
        channel.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    cancelDeadline();
    release();
    NettyExchange ex = current;
    current = null;
    if (ex != null) {
      ex.closed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.check(cause);
    channel.close();
  }

  private void release() {
    if (body != null) {
      body.release();
      body = null;
    }
    head = null;
    PollSession session = counting;
    counting = null;
    if (session != null) {
      session.context().runOnContext(v -> session.departed());
    }
    if (unread != null) {
      unread.release();
      unread = null;
    }
  }

  // ---- outbound -------------------------------------------------------------------------------

  /** Writes {@code ex}'s answer; {@code written} is told on this event loop. */
  void answer(NettyExchange ex, HttpResponseStatus status, HttpHeaders h, byte[] content, Consumer<Boolean> written) {
    if (closing || current != ex || !channel.isActive()) {
      written.accept(false);
      return;
    }
    endpoint.commonHeaders(ex.origin(), h::add);
    // The client must take its answer within the idle timeout.
    arm(endpoint.limits().idleTimeoutMs());
    boolean keepAlive = ex.keepAlive();
    channel.writeAndFlush(PollResponses.encode(channel.alloc(), status, h, content, keepAlive)).addListener((ChannelFutureListener) f -> {
      written.accept(f.isSuccess());
      if (!f.isSuccess() || !keepAlive) {
        closing = true;
        channel.close();
        return;
      }
      answered(ex);
    });
  }

  /** The answer to the current request was written: the next request, queued or to come, is read. */
  private void answered(NettyExchange ex) {
    if (current != ex || closing) {
      return;
    }
    current = null;
    arm(endpoint.limits().idleTimeoutMs());
    restoreDecoder();
  }

  /** Answers a request that will not be served and closes the connection (what follows is dropped). */
  private void refuse(HttpResponseStatus status) {
    closing = true;
    cancelDeadline();
    release();
    channel.writeAndFlush(PollResponses.closing(channel.alloc(), status)).addListener(ChannelFutureListener.CLOSE);
  }

  // ---- deadlines ------------------------------------------------------------------------------

  /** Closes the connection {@code ms} from now (0: never): 408 while a request is read. */
  private void arm(long ms) {
    cancelDeadline();
    if (ms > 0 && !closing) {
      deadline = channel.eventLoop().schedule(this::expired, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expired() {
    deadline = null;
    if (closing) {
      return;
    }
    if (head != null) {
      refuse(HttpResponseStatus.REQUEST_TIMEOUT);
    } else {
      closing = true;
      release();
      channel.close();
    }
  }
}
