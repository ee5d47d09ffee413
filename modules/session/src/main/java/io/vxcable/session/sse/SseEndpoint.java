package io.vxcable.session.sse;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.http.BoundedBody;
import io.vxcable.observability.Trace;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.Cors;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.websocket.Handshake;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * anycable-go's SSE endpoint ({@code --sse}, {@code --sse_path}): a GET or POST becomes a session
 * of the gateway's engine whose messages stream back as server-sent events. The request is
 * authenticated like a WebSocket handshake (RPC Connect with its headers and cookies, a JWT in
 * {@code jid} or {@code X-JID}, public mode), then subscribed; only when every subscription is
 * confirmed is the 200 head written, followed by what the session said so far (welcome,
 * confirmation, history). Failed authentication answers 401 with an empty body, a bad request or a
 * rejected subscription 400 (anycable-go's codes; its docs say 401 for a rejection).
 */
final class SseEndpoint implements HttpEndpoint {

  private static final Logger LOG = Logger.getLogger(SseEndpoint.class.getName());
  /** anycable-go's limit for a POST body of commands. */
  static final int MAX_BODY = 64 * 1024;

  private final SessionEngine engine;
  private final String path;
  private final AllowedOrigins origins;
  private final Map<String, String> common;
  private final SseStats stats;
  private volatile boolean refusing;

  SseEndpoint(SessionEngine engine, String path, AllowedOrigins origins, Map<String, String> responseHeaders, SseStats stats) {
    this.engine = engine;
    this.path = path;
    this.origins = origins;
    this.stats = stats;
    Map<String, String> h = new LinkedHashMap<>(responseHeaders);
    h.put("Connection", "keep-alive");
    h.put("Content-Type", "text/event-stream; charset=utf-8");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Accel-Buffering", "no");
    h.put("Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0");
    h.put("Pragma", "no-cache");
    h.put("Expire", "0");
    this.common = Map.copyOf(h);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String description() {
    return "SSE requests";
  }

  @Override
  public void refuseNewConnections() {
    refusing = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    Map<String, String> cors = Cors.headers(req.getHeader("Origin"), origins);
    cors.forEach(res::putHeader);
    if (req.method() == HttpMethod.OPTIONS) {
      res.setStatusCode(200).end();
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.POST) {
      res.setStatusCode(405).end();
      return;
    }
    common.forEach(res::putHeader);
    if (refusing) {
      res.setStatusCode(503).end();
      return;
    }
    if (!(req.connection() instanceof HttpServerConnection)) {
      res.setStatusCode(505).end();
      return;
    }
    if (req.method() == HttpMethod.GET) {
      List<ClientCommand> commands;
      try {
        commands = List.of(SseRequests.fromQuery(req.params(), req.getHeader("Last-Event-ID")));
      } catch (SseRequests.BadRequest e) {
        LOG.fine(() -> "SSE request refused: " + e.getMessage());
        res.setStatusCode(400).end();
        return;
      }
      SseProtocol protocol = raw(req.getParam("raw")) ? SseProtocol.RAW : SseProtocol.GET;
      req.end().onSuccess(v -> open(req, protocol, commands, cors));
      return;
    }
    BoundedBody.read(req, MAX_BODY).onComplete(ar -> {
      if (ar.failed()) {
        BoundedBody.reject(req, BoundedBody.statusOf(ar.cause()));
        return;
      }
      try {
        open(req, SseProtocol.POST, SseRequests.fromBody(ar.result().getBytes()), cors);
      } catch (SseRequests.BadRequest e) {
        LOG.fine(() -> "SSE request refused: " + e.getMessage());
        res.setStatusCode(400).end();
      }
    });
  }

  /** Authenticates, subscribes, and streams once every subscription is confirmed. */
  private void open(HttpServerRequest req, SseProtocol protocol, List<ClientCommand> commands, Map<String, String> cors) {
    HttpServerConnection conn = (HttpServerConnection) req.connection();
    if (!conn.channelHandlerContext().channel().isActive()) {
      return;
    }
    SseTransport transport = new SseTransport(conn.channelHandlerContext().channel(), stats,
        Math.max(1, engine.options().writeTimeout()) * 1000L);
    String sid = Handshake.sid(req);
    Session s = engine.open(transport, protocol, sid, Handshake.requestInfo(req, engine.options(), null));
    transport.bind(engine, s);
    engine.start(s).onComplete(ar -> {
      if (s.closed()) {
        return;
      }
      if (!s.connected()) {
        // What the session said before it was refused is dropped, as in anycable-go.
        refuse(req, transport, s, ar.failed() ? 400 : 401);
        return;
      }
      for (ClientCommand c : commands) {
        engine.command(s, c);
      }
      engine.settled(s).onComplete(v -> {
        if (s.closed()) {
          return;
        }
        boolean confirmed = !transport.closeRequested();
        for (ClientCommand c : commands) {
          confirmed &= s.subscription(c.identifier()) != null;
        }
        if (!confirmed) {
          Trace.log(LOG, Level.FINE, sid, () -> "SSE subscription rejected");
          refuse(req, transport, s, 400);
          return;
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        common.forEach(headers::set);
        cors.forEach(headers::set);
        transport.establish(headers);
      });
    });
  }

  private void refuse(HttpServerRequest req, SseTransport transport, Session s, int status) {
    transport.abandon();
    req.response().setStatusCode(status).end();
  }

  private static boolean raw(String value) {
    if (value == null) {
      return false;
    }
    String v = value.toLowerCase(Locale.ROOT);
    return v.equals("1") || v.equals("true") || v.equals("t") || v.equals("y");
  }
}
