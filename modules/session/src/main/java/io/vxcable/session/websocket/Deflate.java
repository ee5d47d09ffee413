package io.vxcable.session.websocket;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * permessage-deflate (RFC 7692) as {@code --enable_ws_compression} offers it: the server always
 * compresses without context takeover (as gorilla, anycable-go's WebSocket library, does), so an
 * idle connection keeps no compressor; the client's inflater is bounded: a message never inflates
 * past {@code max_message_size}, the decompression bomb is refused while inflating (1009) instead
 * of after.
 */
final class Deflate {

  private static final String NAME = "permessage-deflate";
  private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";

  private final PerMessageDeflateServerExtensionHandshaker handshaker;

  Deflate(int maxMessageSize) {
    // level 6, the client may ask for a smaller server window, client window 15, server no context
    // takeover allowed (always asked for below), the client keeps its context unless it asks.
    this.handshaker = new PerMessageDeflateServerExtensionHandshaker(6, true, 15, true, false, maxMessageSize);
  }

  /** The extension accepted from the client's offers, or null for none (then frames stay uncompressed). */
  WebSocketServerExtension accept(String offered) {
    if (offered == null || offered.isBlank()) {
      return null;
    }
    List<WebSocketExtensionData> offers;
    try {
      offers = WebSocketExtensionUtil.extractExtensions(offered);
    } catch (RuntimeException malformed) {
      return null;
    }
    for (WebSocketExtensionData offer : offers) {
      if (!NAME.equals(offer.name())) {
        continue;
      }
      Map<String, String> params = new HashMap<>(offer.parameters());
      // RFC 7692 §7.1.1.1: the server may answer server_no_context_takeover whether offered or not.
      params.put(SERVER_NO_CONTEXT, null);
      WebSocketServerExtension accepted = handshaker.handshakeExtension(new WebSocketExtensionData(NAME, params));
      if (accepted != null) {
        return accepted;
      }
    }
    return null;
  }

  /**
   * Whether the server compresses with the default 15-bit window (the client asked for no smaller
   * one): then {@link SharedFrames}'s JDK deflater produces what the client can inflate.
   */
  static boolean defaultServerWindow(WebSocketServerExtension extension) {
    String bits = extension.newReponseData().parameters().get("server_max_window_bits");
    return bits == null || "15".equals(bits.trim());
  }

  /** The {@code Sec-WebSocket-Extensions} value of the 101 response. */
  static String header(WebSocketServerExtension extension) {
    WebSocketExtensionData data = extension.newReponseData();
    StringBuilder sb = new StringBuilder(data.name());
    for (Map.Entry<String, String> p : data.parameters().entrySet()) {
      sb.append("; ").append(p.getKey());
      if (p.getValue() != null) {
        sb.append('=').append(p.getValue());
      }
    }
    return sb.toString();
  }
}
