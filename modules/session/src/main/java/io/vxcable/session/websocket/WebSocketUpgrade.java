package io.vxcable.session.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.http.ConnectionGuard;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Upgrades an HTTP/1.1 request that Vert.x routed to the gateway into a {@link NettyWebSocket} on
 * the same channel: the RFC 6455 handshake by Netty (version 13 only, a well-formed key), then
 * Vert.x's connection handler is replaced by the session's handler, so nothing of the HTTP
 * exchange stays reachable. With {@code --enable_ws_compression}, permessage-deflate is negotiated
 * here too ({@link Deflate}), inflating no message past {@code max_message_size}.
 */
final class WebSocketUpgrade {

  private static final Logger LOG = Logger.getLogger(WebSocketUpgrade.class.getName());
  /** Vert.x's name for the connection handler at the end of an HTTP/1.x pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final Handshaker13 plain;
  private final Handshaker13 extended;
  private final Deflate deflate;
  private final int maxMessageSize;
  private final long closingTimeoutMs;
  /** Added to every 101 response; built once, only read afterwards. */
  private final HttpHeaders responseHeaders = new DefaultHttpHeaders();

  WebSocketUpgrade(WebSocketOptions options, java.util.List<String> protocols, Map<String, String> responseHeaders) {
    responseHeaders.forEach(this.responseHeaders::add);
    this.maxMessageSize = options.maxMessageSize();
    this.closingTimeoutMs = Math.max(1, options.writeTimeout()) * 1000L;
    this.deflate = options.compression() ? new Deflate(maxMessageSize) : null;
    // The location only matters to pre-RFC drafts, which are refused before the factory.
    String names = protocols.isEmpty() ? null : String.join(",", protocols);
    this.plain = new Handshaker13(names, decoder(false));
    this.extended = new Handshaker13(names, decoder(true));
  }

  private WebSocketDecoderConfig decoder(boolean extensions) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxMessageSize)
        .allowExtensions(extensions)
        .allowMaskMismatch(false)
        // Protocol errors reach the session, which answers with anycable-go's close codes.
        .closeOnProtocolViolation(false)
        .build();
  }

  /** Whether this request arrived on a Vert.x HTTP/1.x connection (the only kind that can upgrade). */
  static boolean applies(HttpServerRequest req) {
    return req.connection() instanceof HttpServerConnection conn
        && conn.channelHandlerContext().pipeline().get(VERTX_HANDLER) != null;
  }

  /**
   * Answers the handshake once the request has ended and hands the open WebSocket to
   * {@code opened}, on the channel's event loop. A refused handshake is answered over HTTP: 426
   * for a version other than 13, 400 for a malformed key.
   */
  void upgrade(HttpServerRequest req, Consumer<NettyWebSocket> opened) {
    if (!"13".equals(trimmed(req.getHeader("Sec-WebSocket-Version")))) {
      req.response().putHeader("Sec-WebSocket-Version", "13").setStatusCode(426).end();
      return;
    }
    if (!validKey(req.getHeader("Sec-WebSocket-Key"))) {
      req.response().setStatusCode(400).end("Bad Request\n");
      return;
    }
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    req.end().onSuccess(v -> {
      if (!channel.isActive()) {
        return;
      }
      HttpHeaders headers = responseHeaders;
      WebSocketServerExtension extension = deflate == null ? null : deflate.accept(req.getHeader("Sec-WebSocket-Extensions"));
      if (extension != null) {
        headers = new DefaultHttpHeaders().add(responseHeaders).add("Sec-WebSocket-Extensions", Deflate.header(extension));
      }
      FullHttpRequest handshake = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, req.uri(),
          Unpooled.EMPTY_BUFFER, nettyHeaders(req.headers()), EmptyHttpHeaders.INSTANCE);
      Handshaker13 handshaker = extension == null ? plain : extended;
      FullHttpResponse response;
      try {
        response = handshaker.response(handshake, headers);
      } catch (WebSocketHandshakeException e) {
        LOG.fine(() -> "handshake refused: " + e.getMessage());
        req.response().setStatusCode(400).end("Bad Request\n");
        return;
      }
      ChannelPipeline pipeline = channel.pipeline();
      ChannelHandlerContext decoder = pipeline.context(HttpRequestDecoder.class);
      ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
      if (decoder == null || encoder == null) {
        LOG.warning("WebSocket upgrade on a connection without an HTTP/1.1 codec: closed");
        channel.close();
        return;
      }
      ConnectionGuard.uninstall(pipeline);
      removeIfPresent(pipeline, HttpObjectAggregator.class);
      removeIfPresent(pipeline, HttpContentCompressor.class);
      removeIfPresent(pipeline, ChunkedWriteHandler.class);
      // The 101 is encoded now and waits in the outbound buffer; the HTTP codec can go at once and
      // the welcome written by the session leaves with it in one system call (flushed below).
      channel.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      pipeline.replace(decoder.name(), "wsdecoder", handshaker.frameDecoder());
      pipeline.replace(encoder.name(), "wsencoder", handshaker.frameEncoder());
      NettyWebSocket ws = new NettyWebSocket(channel, closingTimeoutMs);
      pipeline.replace(VERTX_HANDLER, "cable", ws);
      if (extension != null) {
        // Inbound: frames are inflated (each within max_message_size), then joined into messages.
        pipeline.addBefore("cable", "wsinflate", extension.newExtensionDecoder());
        pipeline.addBefore("cable", "wsdeflate", extension.newExtensionEncoder());
        if (Deflate.defaultServerWindow(extension)) {
          ws.compressShared();
        }
      }
      pipeline.addBefore("cable", "wsaggregator", new WebSocketFrameAggregator(maxMessageSize));
      ws.writeFramesFrom(pipeline.context("wsencoder"));
      opened.accept(ws);
      channel.flush();
    });
  }

  private static void removeIfPresent(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
    if (pipeline.get(type) != null) {
      pipeline.remove(type);
    }
  }

  /**
   * Netty's RFC 6455 handshaker, used for its response (accept key, sub-protocol choice, checks) and
   * its frame codecs; the pipeline is switched here, so the 101 need not be flushed on its own.
   */
  private static final class Handshaker13 extends WebSocketServerHandshaker13 {

    Handshaker13(String subprotocols, WebSocketDecoderConfig config) {
      super("/", subprotocols, config);
    }

    FullHttpResponse response(FullHttpRequest request, HttpHeaders headers) {
      return newHandshakeResponse(request, headers);
    }

    ChannelHandler frameDecoder() {
      return newWebsocketDecoder();
    }

    ChannelHandler frameEncoder() {
      return newWebSocketEncoder();
    }
  }

  /** RFC 6455: the key is the base64 encoding of 16 bytes (24 characters). */
  static boolean validKey(String key) {
    String k = trimmed(key);
    if (k == null || k.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(k).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
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
