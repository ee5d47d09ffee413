package io.vxcable.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.ApiReply;
import io.vxcable.contracts.bus.ApiRequest;
import io.vxcable.contracts.bus.HttpIntakeReply;
import io.vxcable.contracts.bus.HttpIntakeRequest;
import io.vxcable.protocol.AllowedOrigins;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Routes requests on the main port: WebSocket upgrades on the configured paths, the health check,
 * and HTTP broadcasts (forwarded over the bus to the broadcast intake) when they share the port.
 * Everything else is 404.
 */
final class HttpFront implements Handler<HttpServerRequest> {

  static final String HEALTH_BODY = "Ah, ha, ha, ha, stayin' alive, stayin' alive.";
  /** anycable-go's upgrade header; the suffix tells which server answered. */
  static final String VERSION_HEADER = "1.6.16-vxcable";
  private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
  /** Live connections per port, shared by every gateway instance of the process (max-conn). */
  private static final Map<Integer, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, String> RESPONSE_HEADERS = Map.of("X-AnyCable-Version", VERSION_HEADER);

  private final Vertx vertx;
  private final GatewayOptions options;
  private final Node node;
  private final List<PathPattern> paths;
  private final AllowedOrigins origins;
  private final AtomicInteger connections;
  private final WebSocketUpgrade netty;
  private volatile boolean refusing;

  HttpFront(Vertx vertx, GatewayOptions options, Node node) {
    this.vertx = vertx;
    this.options = options;
    this.node = node;
    this.paths = options.paths().stream().map(PathPattern::of).toList();
    this.origins = new AllowedOrigins(options.allowedOrigins());
    this.connections = CONNECTIONS.computeIfAbsent(options.port(), p -> new AtomicInteger());
    this.netty = new WebSocketUpgrade(options, RESPONSE_HEADERS);
  }

  void refuseNewConnections() {
    refusing = true;
  }

  /**
   * Caps concurrent connections at {@code --max-conn}. anycable-go leaves excess connections in the
   * accept backlog; here they are closed at once, so clients back off and retry.
   */
  void onConnection(HttpConnection conn) {
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
      forwardBroadcast(req);
    } else if (options.apiOnMainPort() && (path.equals(options.apiPath()) || path.startsWith(options.apiPath() + "/"))) {
      forwardApi(req);
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
    // Vert.x picks the client's first match; rewriting the offer gives anycable-go's server
    // preference and keeps anycable-token.<jwt> from ever being echoed.
    if (protocol == null) {
      req.headers().remove("Sec-WebSocket-Protocol");
    } else {
      req.headers().set("Sec-WebSocket-Protocol", protocol);
    }
    if (WebSocketUpgrade.applies(req, options)) {
      netty.upgrade(req, ws -> {
        Session s = node.open(ws, sid, Handshake.EXT.equals(protocol), info);
        ws.bind(node, s);
        node.start(s);
      });
      return;
    }
    req.response().putHeader("X-AnyCable-Version", VERSION_HEADER);
    req.toWebSocket()
        .onSuccess(ws -> attach(ws, sid, Handshake.EXT.equals(protocol), info))
        .onFailure(err -> {
          LOG.fine(() -> "handshake failed: " + err.getMessage());
          if (!req.response().ended()) {
            req.response().setStatusCode(400).end("Bad Request\n");
          }
        });
  }

  private void attach(ServerWebSocket ws, String sid, boolean ext, RequestInfo info) {
    Session s = node.open(new WsTransport(ws), sid, ext, info);
    ws.textMessageHandler(text -> node.onMessage(s, text));
    ws.binaryMessageHandler(bin -> node.onMessage(s, bin.toString(StandardCharsets.UTF_8)));
    ws.pongHandler(data -> node.onNativePong(s));
    ws.exceptionHandler(err -> {
      // An oversized frame or message: anycable-go (gorilla) answers with 1009 and ends the session.
      LOG.fine(() -> sid + ": " + err.getMessage());
      s.close(1009, "Message Too Big");
    });
    ws.closeHandler(v -> node.onClosed(s));
    node.start(s);
  }

  private void forwardBroadcast(HttpServerRequest req) {
    String method = req.method().name();
    String auth = req.getHeader("Authorization");
    req.body()
        .onSuccess(body -> send(req, method, auth, body))
        .onFailure(err -> req.response().setStatusCode(422).end());
  }

  private void forwardApi(HttpServerRequest req) {
    String method = req.method().name();
    String auth = req.getHeader("Authorization");
    String path = req.path();
    req.body()
        .onSuccess(body -> {
          ApiRequest msg = ApiRequest.newBuilder().setMethod(method).setPath(path).setAuthorization(auth == null ? "" : auth)
              .setBody(com.google.protobuf.ByteString.copyFrom(body.getBytes())).build();
          vertx.eventBus().<ApiReply>request(Addresses.BROADCAST_API, msg, new DeliveryOptions().setSendTimeout(10_000))
              .onSuccess(reply -> {
                req.response().setStatusCode(reply.body().getStatus());
                if (reply.body().getBody().isEmpty()) {
                  req.response().end();
                } else {
                  req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(reply.body().getBody().toByteArray()));
                }
              })
              .onFailure(err -> {
                boolean missing = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
                req.response().setStatusCode(missing ? 404 : 503).end();
              });
        })
        .onFailure(err -> req.response().setStatusCode(422).end());
  }

  private void send(HttpServerRequest req, String method, String auth, Buffer body) {
    HttpIntakeRequest msg = HttpIntakeRequest.newBuilder()
        .setMethod(method)
        .setAuthorization(auth == null ? "" : auth)
        .setBody(com.google.protobuf.ByteString.copyFrom(body.getBytes()))
        .build();
    vertx.eventBus().<HttpIntakeReply>request(Addresses.BROADCAST_HTTP, msg, new DeliveryOptions().setSendTimeout(10_000))
        .onSuccess(reply -> req.response().setStatusCode(reply.body().getStatus()).end())
        .onFailure(err -> {
          boolean missing = err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          req.response().setStatusCode(missing ? 404 : 503).end();
        });
  }
}
