package io.vxcable.broadcast;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** anycable-go's CORS headers: {@code *} without an origin list, else the matching Origin echoed. */
final class Cors {

  private Cors() {}

  static void apply(HttpServerRequest req, List<String> allowed) {
    HttpServerResponse res = req.response();
    if (allowed.isEmpty()) {
      res.putHeader("Access-Control-Allow-Origin", "*");
    } else {
      String origin = req.getHeader("Origin");
      if (origin != null && matches(origin, allowed)) {
        res.putHeader("Access-Control-Allow-Origin", origin.toLowerCase(Locale.ROOT));
      }
    }
    res.putHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.putHeader("Access-Control-Allow-Credentials", "true");
    res.putHeader("Access-Control-Allow-Headers",
        "Origin, X-Requested-With, X-Request-ID, Content-Type, Accept, X-CSRF-Token, Authorization");
  }

  static boolean matches(String origin, List<String> allowed) {
    String host;
    try {
      String authority = URI.create(origin.toLowerCase(Locale.ROOT)).getRawAuthority();
      host = authority == null ? "" : authority;
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String entry : allowed) {
      if (entry.startsWith("*") ? host.endsWith(entry.substring(1)) : entry.equals(host)) {
        return true;
      }
    }
    return false;
  }
}
