package io.vxcable.session.websocket;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.http.Admission;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.WireProtocols;
import java.util.Map;

/**
 * A WebSocket path served by a session engine: checks the request (GET, an upgrade, the Origin),
 * picks the wire protocol from the offered sub-protocols, upgrades the connection
 * ({@link WebSocketUpgrade}) and hands it to the engine as a session. The gateway mounts one on
 * every {@code --path}; a translator mounts one on its own path with its own protocol.
 *
 * <p>The storm shield ({@link Admission}) decides first whether the connection may start now. A
 * shed connection costs a handshake and two frames: a disconnect message in the chosen protocol
 * ({@code reason} {@code rate_limited} or {@code overloaded}, {@code reconnect: true}), then a close
 * 1013 (Try Again Later) whose reason text is the retry hint, {@code "Try again in N s"}. It never
 * becomes a session, so it never reaches the application or the broker.
 */
public final class WebSocketEndpoint implements Handler<HttpServerRequest> {

  private final SessionEngine engine;
  private final WireProtocols protocols;
  private final AllowedOrigins origins;
  private final WebSocketUpgrade upgrade;
  private final Admission admission;
  private volatile boolean refusing;

  /**
   * @param responseHeaders added to every 101 response (anycable-go's {@code X-AnyCable-Version})
   */
  public WebSocketEndpoint(SessionEngine engine, WireProtocols protocols, WebSocketOptions options, AllowedOrigins origins,
      Map<String, String> responseHeaders) {
    this.engine = engine;
    this.protocols = protocols;
    this.origins = origins;
    this.upgrade = new WebSocketUpgrade(options, protocols.names(), responseHeaders);
    this.admission = Admission.shared(options.admission());
  }

  /** New upgrades get 503 from now on (a graceful shutdown). */
  public void refuseNewConnections() {
    refusing = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (refusing) {
      req.response().setStatusCode(503).end();
      return;
    }
    if (req.method() != HttpMethod.GET) {
      req.response().setStatusCode(405).end();
      return;
    }
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade")) || !WebSocketUpgrade.applies(req)) {
      req.response().setStatusCode(400).end("Bad Request\n");
      return;
    }
    if (!origins.allows(req.getHeader("Origin"))) {
      req.response().setStatusCode(403).end("Forbidden\n");
      return;
    }
    String offered = req.getHeader("Sec-WebSocket-Protocol");
    WireProtocol selected = protocols.select(offered);
    WireProtocol protocol = selected != null ? selected : protocols.fallback();
    RequestInfo info = Handshake.requestInfo(req, engine.options(), offered);
    String sid = protocol.sessionId(Handshake.sid(req));
    // The handshaker picks the client's first match; rewriting the offer gives anycable-go's
    // server preference and keeps anycable-token.<jwt> from ever being echoed.
    if (selected == null) {
      req.headers().remove("Sec-WebSocket-Protocol");
    } else {
      req.headers().set("Sec-WebSocket-Protocol", selected.name());
    }
    Admission.Ticket ticket = admission.admit(info.remoteAddress());
    if (!ticket.admitted()) {
      upgrade.upgrade(req, ws -> shed(ws, protocol, ticket));
      return;
    }
    // Released once set up, or when the connection goes before (whatever step it dies in).
    ((HttpServerConnection) req.connection()).channelHandlerContext().channel().closeFuture()
        .addListener(f -> ticket.release());
    upgrade.upgrade(req, ws -> {
      Session s = engine.open(ws, protocol.forConnection(info), sid, info);
      ws.bind(engine, s);
      engine.start(s).onComplete(ar -> ticket.release());
    });
  }

  private static void shed(NettyWebSocket ws, WireProtocol protocol, Admission.Ticket ticket) {
    byte[] notice = protocol.encode(new Reply.Disconnect(ticket.refusal().reason, true));
    ws.shed(notice, protocol.binary(), 1013, "Try again in " + ticket.retryAfterSeconds() + " s");
  }
}
