package io.vxcable.session.poll;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.websocket.Handshake;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a first poll request read by a {@link PollConnection} (a Netty request, not Vert.x's) tells
 * the application: the same {@link RequestInfo} as {@link Handshake#requestInfo} builds from a
 * Vert.x request (headers filtered by {@code --headers}, cookies by {@code --proxy_cookies}, the
 * query, the JWT, the restore sid), and the session id.
 */
final class PollHeads {

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PollHeads() {}

  /** {@code X-Request-ID} when present, else a random 21-character id. */
  static String sid(HttpRequest req) {
    String id = req.headers().get("X-Request-ID");
    if (id != null && !id.isEmpty()) {
      return id;
    }
    char[] out = new char[21];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  /**
   * @param remote the client's address as the connection's first request gave it
   * @param ssl whether the connection is TLS
   */
  static RequestInfo requestInfo(HttpRequest req, String remote, boolean ssl, SessionOptions o) {
    HttpHeaders h = req.headers();
    Map<String, String> headers = new HashMap<>();
    for (String name : o.headers()) {
      String v = h.get(name);
      if (v == null || v.isEmpty()) {
        continue;
      }
      headers.put(name, "cookie".equals(name) ? Handshake.filterCookies(v, o.proxyCookies()) : v);
    }
    headers.put("REMOTE_ADDR", remote);
    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, List<String>> e : new QueryStringDecoder(req.uri()).parameters().entrySet()) {
      List<String> values = e.getValue();
      params.put(e.getKey(), values.isEmpty() ? "" : values.get(values.size() - 1));
    }
    String token = null;
    if (!o.jwtSecret().isEmpty()) {
      String headerName = "x-" + o.jwtParam();
      token = h.get(headerName);
      if (token != null && !token.isEmpty()) {
        headers.put(headerName, token);
      } else {
        token = params.get(o.jwtParam());
      }
    }
    String host = h.get("Host") == null ? "" : h.get("Host");
    String restore = h.get("X-ANYCABLE-RESTORE-SID");
    if (restore == null || restore.isEmpty()) {
      restore = params.get("sid");
    }
    return new RequestInfo((ssl ? "https://" : "http://") + host + req.uri(), Map.copyOf(headers), Map.copyOf(params),
        token, remote, restore == null || restore.isEmpty() ? null : restore);
  }
}
