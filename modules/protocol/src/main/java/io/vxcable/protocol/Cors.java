package io.vxcable.protocol;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * anycable-go's CORS headers, shared by every plain-HTTP endpoint (broadcasts, REST API, SSE, long
 * polling, Durable Streams): {@code *} without an origin list, else the matching Origin echoed;
 * a request from an origin not on the list is still served, only without the header.
 */
public final class Cors {

  private Cors() {}

  /** The CORS headers answering a request from {@code origin} (null when none). */
  public static Map<String, String> headers(String origin, AllowedOrigins allowed) {
    Map<String, String> h = new LinkedHashMap<>();
    if (allowed.isEmpty()) {
      h.put("Access-Control-Allow-Origin", "*");
    } else if (origin != null && allowed.allows(origin)) {
      h.put("Access-Control-Allow-Origin", origin.toLowerCase(Locale.ROOT));
    }
    h.put("Access-Control-Allow-Methods", "POST, OPTIONS");
    h.put("Access-Control-Allow-Credentials", "true");
    h.put("Access-Control-Allow-Headers",
        "Origin, X-Requested-With, X-Request-ID, Content-Type, Accept, X-CSRF-Token, Authorization");
    return h;
  }
}
