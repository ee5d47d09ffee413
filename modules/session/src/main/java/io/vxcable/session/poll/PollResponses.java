package io.vxcable.session.poll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.CharsetUtil;
import java.util.Map;

/**
 * HTTP/1.1 responses of a taken-over poll connection, written as bytes: every answer is whole
 * (a {@code Content-Length} and its body), so the connection needs no HTTP encoder of its own.
 * Header values pass Netty's validation when they are added (no line breaks).
 */
final class PollResponses {

  private static final byte[] CRLF = {'\r', '\n'};

  private PollResponses() {}

  /** Headers to fill before {@link #encode}. */
  static HttpHeaders headers() {
    return new DefaultHttpHeaders();
  }

  /** The status line, {@code headers}, {@code Content-Length} (and {@code Connection: close} unless {@code keepAlive}), then the body. */
  static ByteBuf encode(ByteBufAllocator alloc, HttpResponseStatus status, HttpHeaders headers, byte[] body,
      boolean keepAlive) {
    headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ByteBuf out = alloc.buffer(256 + body.length);
    out.writeCharSequence("HTTP/1.1 ", CharsetUtil.US_ASCII);
    out.writeCharSequence(status.codeAsText(), CharsetUtil.US_ASCII);
    out.writeByte(' ');
    out.writeCharSequence(status.reasonPhrase(), CharsetUtil.US_ASCII);
    out.writeBytes(CRLF);
    for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>) headers::iteratorCharSequence) {
      out.writeCharSequence(e.getKey(), CharsetUtil.ISO_8859_1);
      out.writeByte(':');
      out.writeByte(' ');
      out.writeCharSequence(e.getValue(), CharsetUtil.ISO_8859_1);
      out.writeBytes(CRLF);
    }
    out.writeBytes(CRLF);
    out.writeBytes(body);
    return out;
  }

  /** An empty answer that closes the connection (a refused request). */
  static ByteBuf closing(ByteBufAllocator alloc, HttpResponseStatus status) {
    HttpHeaders h = headers();
    if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      h.set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
    }
    return encode(alloc, status, h, new byte[0], false);
  }

  /** {@code 100 Continue}, for a client that waits for it before sending its body. */
  static ByteBuf continue100(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(32);
    out.writeCharSequence("HTTP/1.1 100 Continue\r\n\r\n", CharsetUtil.US_ASCII);
    return out;
  }
}
