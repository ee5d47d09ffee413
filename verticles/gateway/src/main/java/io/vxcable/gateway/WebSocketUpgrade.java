package io.vxcable.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Upgrades an HTTP/1.1 request that Vert.x routed to the gateway into a {@link NettyWebSocket} on
 * the same channel: the RFC 6455 handshake by Netty, then Vert.x's connection handler is replaced
 * by the session's handler, so nothing of the HTTP exchange stays reachable.
 *
 * <p>Used whenever the request arrived on a Vert.x HTTP/1.x connection and permessage-deflate is
 * off; otherwise the gateway asks Vert.x for its own WebSocket ({@link WsTransport}).
 */
final class WebSocketUpgrade {

  private static final Logger LOG = Logger.getLogger(WebSocketUpgrade.class.getName());
  /** Vert.x's name for the connection handler at the end of an HTTP/1.x pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final WebSocketServerHandshakerFactory handshakers;
  private final int maxMessageSize;
  private final long closingTimeoutMs;
  /** Added to every 101 response; built once, only read afterwards. */
  private final HttpHeaders responseHeaders = new DefaultHttpHeaders();

  WebSocketUpgrade(GatewayOptions options, Map<String, String> responseHeaders) {
    responseHeaders.forEach(this.responseHeaders::add);
    this.maxMessageSize = options.maxMessageSize();
    this.closingTimeoutMs = Math.max(1, options.writeTimeout()) * 1000L;
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxMessageSize)
        .allowExtensions(false)
        .allowMaskMismatch(false)
        // Protocol errors reach the session, which answers with anycable-go's close codes.
        .closeOnProtocolViolation(false)
        .build();
    // The location only matters to pre-RFC drafts, which the factory refuses anyway.
    this.handshakers = new WebSocketServerHandshakerFactory("/", String.join(",", Handshake.SERVER_PROTOCOLS), decoder);
  }

  /** Whether this request can be served by a {@link NettyWebSocket}. */
  static boolean applies(HttpServerRequest req, GatewayOptions options) {
    return !options.compression()
        && req.connection() instanceof HttpServerConnection conn
        && conn.channelHandlerContext().pipeline().get(VERTX_HANDLER) != null;
  }

  /**
   * Answers the handshake once the request has ended and hands the open WebSocket to
   * {@code opened}, on the channel's event loop. A refused handshake is answered over HTTP.
   */
  void upgrade(HttpServerRequest req, Consumer<NettyWebSocket> opened) {
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    req.end().onSuccess(v -> {
      if (!channel.isActive()) {
        return;
      }
      FullHttpRequest handshake = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, req.uri(),
          Unpooled.EMPTY_BUFFER, nettyHeaders(req.headers()), EmptyHttpHeaders.INSTANCE);
      WebSocketServerHandshaker handshaker = handshakers.newHandshaker(handshake);
      if (handshaker == null) {
        req.response().putHeader("Sec-WebSocket-Version", "13").setStatusCode(426).end();
        return;
      }
      ChannelPipeline pipeline = channel.pipeline();
      try {
        handshaker.handshake(channel, handshake, responseHeaders, channel.newPromise()).addListener((ChannelFutureListener) f -> {
          if (f.isSuccess()) {
            if (pipeline.get("chunkedWriter") != null) {
              pipeline.remove("chunkedWriter");
            }
          } else {
            channel.close();
          }
        });
      } catch (WebSocketHandshakeException e) {
        LOG.fine(() -> "handshake refused: " + e.getMessage());
        req.response().setStatusCode(400).end("Bad Request\n");
        return;
      }
      NettyWebSocket ws = new NettyWebSocket(channel, closingTimeoutMs);
      pipeline.replace(VERTX_HANDLER, "cable", ws);
      pipeline.addBefore("cable", "wsaggregator", new WebSocketFrameAggregator(maxMessageSize));
      opened.accept(ws);
    });
  }

  private static HttpHeaders nettyHeaders(MultiMap headers) {
    if (headers instanceof HttpHeaders netty) {
      return netty;
    }
    HttpHeaders copy = new DefaultHttpHeaders();
    for (Map.Entry<String, String> e : headers) {
      copy.add(e.getKey(), e.getValue());
    }
    return copy;
  }
}
