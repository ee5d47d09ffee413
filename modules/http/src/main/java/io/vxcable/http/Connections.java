package io.vxcable.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a listener does with every connection it accepts: request deadlines ({@link ConnectionGuard})
 * until it becomes a WebSocket, and the {@code --max-conn} cap, counted per port across every
 * verticle instance of the process. anycable-go leaves excess connections in the accept backlog;
 * here they are closed at once, so clients back off and retry.
 */
public final class Connections {

  private static final Map<Integer, AtomicInteger> LIVE = new ConcurrentHashMap<>();

  private final HttpLimits limits;
  private final int maxConn;
  private final AtomicInteger live;

  /** @param maxConn the cap; 0 = unlimited */
  public Connections(int port, int maxConn, HttpLimits limits) {
    this.limits = limits;
    this.maxConn = maxConn;
    this.live = LIVE.computeIfAbsent(port, p -> new AtomicInteger());
  }

  /** For {@code HttpServer.connectionHandler}. */
  public void accepted(HttpConnection conn) {
    ConnectionGuard.install(conn, limits);
    int n = live.incrementAndGet();
    if (conn instanceof HttpServerConnection http) {
      // Counted on the channel: an upgraded connection no longer reports to Vert.x's HTTP handler.
      http.channelHandlerContext().channel().closeFuture().addListener(f -> live.decrementAndGet());
    } else {
      conn.closeHandler(v -> live.decrementAndGet());
    }
    if (maxConn > 0 && n > maxConn) {
      conn.close();
    }
  }
}
