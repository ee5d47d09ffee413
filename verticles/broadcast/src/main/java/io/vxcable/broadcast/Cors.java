package io.vxcable.broadcast;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vxcable.protocol.AllowedOrigins;
import java.util.Locale;

/** anycable-go's CORS headers: {@code *} without an origin list, else the matching Origin echoed. */
final class Cors {

  private Cors() {}

  static void apply(HttpServerRequest req, AllowedOrigins allowed) {
    HttpServerResponse res = req.response();
    if (allowed.isEmpty()) {
      res.putHeader("Access-Control-Allow-Origin", "*");
    } else {
      String origin = req.getHeader("Origin");
      if (origin != null && allowed.allows(origin)) {
        res.putHeader("Access-Control-Allow-Origin", origin.toLowerCase(Locale.ROOT));
      }
    }
    res.putHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.putHeader("Access-Control-Allow-Credentials", "true");
    res.putHeader("Access-Control-Allow-Headers",
        "Origin, X-Requested-With, X-Request-ID, Content-Type, Accept, X-CSRF-Token, Authorization");
  }

}
