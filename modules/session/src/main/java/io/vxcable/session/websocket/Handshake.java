package io.vxcable.session.websocket;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vxcable.protocol.JsonText;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.SessionOptions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a WebSocket handshake says: the JWT carried in {@code anycable-token.<jwt>}, the
 * session id, and the {@link RequestInfo} passed on to the application. (The sub-protocol is chosen
 * by {@link io.vxcable.session.wire.WireProtocols}.)
 */
public final class Handshake {

  private static final String TOKEN_PREFIX = "anycable-token.";
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshake() {}

  /** The token of the first {@code anycable-token.} entry, or null. */
  static String protocolToken(String offered) {
    if (offered == null) {
      return null;
    }
    for (String e : offered.split(",")) {
      String t = e.trim();
      if (t.startsWith(TOKEN_PREFIX)) {
        return t.substring(TOKEN_PREFIX.length());
      }
    }
    return null;
  }

  /** {@code X-Request-ID} when present, else a random 21-character id. */
  public static String sid(HttpServerRequest req) {
    String id = req.getHeader("X-Request-ID");
    return id != null && !id.isEmpty() ? id : randomId(21);
  }

  /**
   * {@code length} characters of 6 random bits each, drawn in one call to the generator (one lock
   * and one read of its state per id, not one per character).
   */
  static String randomId(int length) {
    byte[] bits = new byte[(length * 6 + 7) / 8];
    RANDOM.nextBytes(bits);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      int at = i * 6;
      int word = (bits[at >> 3] & 0xff) << 8 | (((at >> 3) + 1 < bits.length ? bits[(at >> 3) + 1] : 0) & 0xff);
      out[i] = ALPHABET[(word >> (10 - (at & 7))) & 63];
    }
    return new String(out);
  }

  /** What the application will learn about the connection (headers filtered by {@code --headers}). */
  public static RequestInfo requestInfo(HttpServerRequest req, SessionOptions o, String protocolHeader) {
    MultiMap h = req.headers();
    Map<String, String> headers = new HashMap<>();
    for (String name : o.headers()) {
      String v = h.get(name);
      if (v == null || v.isEmpty()) {
        continue;
      }
      headers.put(name, "cookie".equals(name) ? filterCookies(v, o.proxyCookies()) : v);
    }
    String remote = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
    headers.put("REMOTE_ADDR", remote);

    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, String> e : req.params()) {
      params.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
    }
    String token = null;
    if (!o.jwtSecret().isEmpty()) {
      String headerName = "x-" + o.jwtParam();
      token = h.get(headerName);
      if (token == null || token.isEmpty()) {
        token = protocolToken(protocolHeader);
      }
      if (token != null && !token.isEmpty()) {
        headers.put(headerName, token);
      } else {
        token = req.params().get(o.jwtParam());
      }
    }
    String scheme = req.isSSL() ? "https://" : "http://";
    String host = h.get("Host") == null ? "" : h.get("Host");
    String restore = h.get("X-ANYCABLE-RESTORE-SID");
    if (restore == null || restore.isEmpty()) {
      restore = params.get("sid");
    }
    // Immutable copies: kept for the whole connection, they are a few hundred bytes smaller.
    return new RequestInfo(scheme + host + req.uri(), Map.copyOf(headers), Map.copyOf(params), token, remote,
        restore == null || restore.isEmpty() ? null : restore);
  }

  /** Keeps only the listed cookies; an empty list keeps the header as is. */
  public static String filterCookies(String header, List<String> keep) {
    if (keep.isEmpty()) {
      return header;
    }
    StringBuilder sb = new StringBuilder();
    for (String part : header.split(";")) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        continue;
      }
      String name = kv[0].trim();
      if (keep.contains(name)) {
        sb.append(name).append('=').append(kv[1]).append(';');
      }
    }
    return sb.toString();
  }

  static String quote(String s) {
    return JsonText.quote(s);
  }
}
