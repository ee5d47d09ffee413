package io.vxcable.session.poll;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vxcable.http.Admission;
import io.vxcable.http.BoundedBody;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.protocol.Cors;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.EndpointContext;
import io.vxcable.session.spi.HttpEndpoint;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.websocket.Handshake;
import io.vxcable.session.wire.ActionCableJson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * anycable-go Pro's long-polling endpoint ({@code --poll}, {@code POST --poll_path}): JSON Lines of
 * commands in, JSON Lines of server messages out. A request without {@code X-Anycable-Poll-ID}
 * opens a session of this gateway instance's engine in the extended Action Cable protocol,
 * authenticated like a WebSocket handshake (RPC Connect with its headers and cookies, a JWT in
 * {@code jid} or {@code X-JID}, {@code --public}, a restore by {@code ?sid=} or
 * {@code X-ANYCABLE-RESTORE-SID}); it is answered 200 with the session's poll ID in
 * {@code X-Anycable-Poll-ID}, or 401 when refused. Requests carrying the ID are handed over to the
 * session, whichever gateway instance received them ({@link PollRegistry}); an ID naming no live
 * session is answered 401. Every answer carries the CORS headers of {@code --allowed_origins} and
 * exposes the poll ID header; {@code OPTIONS} is answered 200. New sessions pass the storm shield
 * ({@link Admission}) like WebSocket connections: a shed one is answered 429 ({@code rate_limited})
 * or 503 ({@code overloaded}) with {@code Retry-After} and the disconnect message.
 */
final class LongPollingEndpoint implements HttpEndpoint {

  static final String POLL_ID = "X-Anycable-Poll-ID";

  private final SessionEngine engine;
  private final PollOptions options;
  private final PollRegistry registry;
  private final AllowedOrigins origins;
  private final Map<String, String> responseHeaders;
  private final String allowHeaders;
  private final Admission admission;
  private volatile boolean refusing;

  LongPollingEndpoint(EndpointContext context, PollOptions options, PollRegistry registry) {
    this.engine = context.engine();
    this.options = options;
    this.registry = registry;
    this.origins = context.origins();
    this.responseHeaders = Map.copyOf(context.responseHeaders());
    this.admission = Admission.shared(Admission.Limits.from(context.settings()));
    String jwtHeader = "X-" + engine.options().jwtParam().toUpperCase(Locale.ROOT);
    this.allowHeaders = Cors.headers(null, origins).get("Access-Control-Allow-Headers")
        + ", " + POLL_ID + ", X-Anycable-Restore-Sid, " + jwtHeader;
  }

  @Override
  public String path() {
    return options.path();
  }

  @Override
  public String description() {
    return "long polling requests";
  }

  /** New sessions get 503; live ones keep being served until the engine's shutdown ends them. */
  @Override
  public void refuseNewConnections() {
    refusing = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    Cors.headers(req.getHeader("Origin"), origins).forEach(res::putHeader);
    res.putHeader("Access-Control-Allow-Headers", allowHeaders);
    res.putHeader("Access-Control-Expose-Headers", POLL_ID);
    responseHeaders.forEach(res::putHeader);
    res.putHeader("Cache-Control", "no-store");
    if (req.method() == HttpMethod.OPTIONS) {
      res.setStatusCode(200).end();
      return;
    }
    if (req.method() != HttpMethod.POST) {
      res.setStatusCode(405).putHeader("Allow", "POST, OPTIONS").end();
      return;
    }
    Context here = ((ContextInternal) Vertx.currentContext()).unwrap();
    String id = req.getHeader(POLL_ID);
    if (id != null && !id.isEmpty()) {
      PollSession session = registry.get(id);
      if (session == null) {
        body(req, lines -> stale(req), () -> { });
        return;
      }
      pollLater(req, here, session);
      return;
    }
    if (refusing) {
      BoundedBody.reject(req, 503);
      return;
    }
    body(req, lines -> open(req, here, lines), () -> { });
  }

  /** A request for a live session, handed over to the session's context. */
  private void pollLater(HttpServerRequest req, Context here, PollSession session) {
    Context owner = session.context();
    PollExchange ex = new PollExchange(req, here, owner);
    owner.runOnContext(v -> session.arrived());
    ex.watch(() -> session.gone(ex));
    body(req, lines -> owner.runOnContext(v -> session.poll(ex, lines)),
        () -> owner.runOnContext(v -> session.abandoned(ex)));
  }

  /**
   * A poll ID naming no live session (expired, closed, or never issued: without keeping the IDs of
   * ended sessions the server cannot tell them apart): 401 with a {@code session_expired}
   * disconnect, counted as a stale request.
   */
  private void stale(HttpServerRequest req) {
    registry.stale();
    req.response().setStatusCode(401).putHeader("Content-Type", PollExchange.CONTENT_TYPE)
        .end(JsonLines.join(List.of(PollSession.EXPIRED)));
  }

  /** The first request: a new session of this instance's engine, authenticated, then answered. */
  private void open(HttpServerRequest req, Context here, List<byte[]> lines) {
    RequestInfo info = Handshake.requestInfo(req, engine.options(), null);
    Admission.Ticket ticket = admission.admit(info.remoteAddress());
    if (!ticket.admitted()) {
      shed(req, ticket);
      return;
    }
    PollSession transport = new PollSession(PollRegistry.newId(), engine, registry, options, here);
    PollExchange ex = new PollExchange(req, here, here);
    Session s = engine.open(transport, ActionCableJson.EXT, Handshake.sid(req), info);
    transport.bind(s);
    transport.arrived();
    ex.watch(() -> transport.gone(ex));
    engine.start(s).onComplete(ar -> {
      ticket.release();
      transport.opened(ex, lines);
    });
  }

  private static void shed(HttpServerRequest req, Admission.Ticket ticket) {
    byte[] notice = ActionCableJson.EXT.encode(new Reply.Disconnect(ticket.refusal().reason, true));
    req.response().setStatusCode(ticket.refusal() == Admission.Refusal.RATE_LIMITED ? 429 : 503)
        .putHeader("Retry-After", String.valueOf(ticket.retryAfterSeconds()))
        .putHeader("Content-Type", PollExchange.CONTENT_TYPE).end(JsonLines.join(List.of(notice)));
  }

  /**
   * Reads the body within {@code --poll_max_request_size} (413 beyond) and splits it into lines;
   * {@code refused} runs when it was not read.
   */
  private void body(HttpServerRequest req, Consumer<List<byte[]>> read, Runnable refused) {
    BoundedBody.read(req, options.maxRequestSize()).onComplete(ar -> {
      if (ar.failed()) {
        BoundedBody.reject(req, BoundedBody.statusOf(ar.cause()));
        refused.run();
        return;
      }
      read.accept(JsonLines.split(ar.result() == null ? Buffer.buffer() : ar.result()));
    });
  }
}
