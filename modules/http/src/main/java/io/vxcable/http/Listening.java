package io.vxcable.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

/**
 * Starts a listener and, when it cannot bind, fails with a message a user can act on: the address,
 * what listens there and the flag that moves it (Netty's own says only
 * {@code bind(..) failed with error(-98): Address already in use}).
 */
public final class Listening {

  private Listening() {}

  /**
   * {@code server.listen()}; on failure an {@link IllegalStateException} such as
   * {@code cannot listen on 127.0.0.1:8080 for WebSocket clients: the address is already in use
   * (another process listens there; choose another with --port)}.
   */
  public static Future<HttpServer> listen(HttpServer server, String host, int port, String what, String flag) {
    return server.listen().recover(err -> Future.failedFuture(new IllegalStateException(message(host, port, what, flag, err), err)));
  }

  static String message(String host, int port, String what, String flag, Throwable err) {
    String cause = err.getMessage() == null ? err.toString() : err.getMessage();
    String reason;
    if (cause.contains("Address already in use")) {
      reason = "the address is already in use (another process listens there; choose another with " + flag + ")";
    } else if (cause.contains("Permission denied")) {
      reason = "permission denied (ports below 1024 need privileges; choose another with " + flag + ")";
    } else if (cause.contains("Cannot assign requested address") || cause.contains("Address not available")) {
      reason = "no interface of this machine has that address (check --host)";
    } else {
      reason = cause;
    }
    return "cannot listen on " + host + ":" + port + " for " + what + ": " + reason;
  }
}
