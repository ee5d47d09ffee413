package io.vxcable.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.protocol.AllowedOrigins;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes requests on the main port: WebSocket upgrades on the configured paths, the health check,
 * and HTTP broadcasts and REST API calls (forwarded over the bus to the broadcast intake by
 * {@link IntakeForwarder}) when they share the port. Everything else is 404. Every connection is
 * guarded by request deadlines ({@link ConnectionGuard}) until it becomes a WebSocket.
 */
final class HttpFront implements Handler<HttpServerRequest> {

  static final String HEALTH_BODY = "Ah, ha, ha, ha, stayin' alive, stayin' alive.";
  /** anycable-go's upgrade header; the suffix tells which server answered. */
  static final String VERSION_HEADER = "1.6.16-vxcable";
  /** Live connections per port, shared by every gateway instance of the process (max-conn). */
  private static final Map<Integer, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, String> RESPONSE_HEADERS = Map.of("X-AnyCable-Version", VERSION_HEADER);

  private final GatewayOptions options;
  private final Node node;
  private final List<PathPattern> paths;
  private final AllowedOrigins origins;
  private final AtomicInteger connections;
  private final WebSocketUpgrade netty;
  private final IntakeForwarder intake;
  private volatile boolean refusing;

  HttpFront(Vertx vertx, GatewayOptions options, Node node) {
    this.options = options;
    this.node = node;
    this.paths = options.paths().stream().map(PathPattern::of).toList();
    this.origins = new AllowedOrigins(options.allowedOrigins());
    this.connections = CONNECTIONS.computeIfAbsent(options.port(), p -> new AtomicInteger());
    this.netty = new WebSocketUpgrade(options, RESPONSE_HEADERS);
    this.intake = new IntakeForwarder(vertx, options);
  }

  void refuseNewConnections() {
    refusing = true;
  }

  /**
   * Caps concurrent connections at {@code --max-conn}. anycable-go leaves excess connections in the
   * accept backlog; here they are closed at once, so clients back off and retry.
   */
  void onConnection(HttpConnection conn) {
    ConnectionGuard.install(conn, options.limits());
    int n = connections.incrementAndGet();
    if (conn instanceof HttpServerConnection http) {
      // Counted on the channel: an upgraded connection no longer reports to Vert.x's HTTP handler.
      http.channelHandlerContext().channel().closeFuture().addListener(f -> connections.decrementAndGet());
    } else {
      conn.closeHandler(v -> connections.decrementAndGet());
    }
    if (options.maxConn() > 0 && n > options.maxConn()) {
      conn.close();
    }
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals(options.healthPath())) {
      req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(HEALTH_BODY);
    } else if (options.broadcastOnMainPort() && path.equals(options.broadcastPath())) {
      intake.broadcast(req);
    } else if (options.apiOnMainPort() && (path.equals(options.apiPath()) || path.startsWith(options.apiPath() + "/"))) {
      intake.api(req);
    } else if (PathPattern.anyMatches(paths, path)) {
      upgrade(req);
    } else {
      req.response().setStatusCode(404).end("404 page not found\n");
    }
  }

  private void upgrade(HttpServerRequest req) {
    if (refusing) {
      req.response().setStatusCode(503).end();
      return;
    }
    if (req.method() != HttpMethod.GET) {
      req.response().setStatusCode(405).end();
      return;
    }
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      req.response().setStatusCode(400).end("Bad Request\n");
      return;
    }
    if (!origins.allows(req.getHeader("Origin"))) {
      req.response().setStatusCode(403).end("Forbidden\n");
      return;
    }
    String offered = req.getHeader("Sec-WebSocket-Protocol");
    String protocol = Handshake.selectProtocol(offered);
    RequestInfo info = Handshake.requestInfo(req, options, offered);
    String sid = Handshake.sid(req);
    // The handshaker picks the client's first match; rewriting the offer gives anycable-go's
    // server preference and keeps anycable-token.<jwt> from ever being echoed.
    if (protocol == null) {
      req.headers().remove("Sec-WebSocket-Protocol");
    } else {
      req.headers().set("Sec-WebSocket-Protocol", protocol);
    }
    if (!WebSocketUpgrade.applies(req)) {
      req.response().setStatusCode(400).end("Bad Request\n");
      return;
    }
    netty.upgrade(req, ws -> {
      Session s = node.open(ws, sid, Handshake.EXT.equals(protocol), info);
      ws.bind(node, s);
      node.start(s);
    });
  }
}
