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
import io.vxcable.http.HttpLimits;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.protocol.Cors;
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
import java.util.function.BiConsumer;
import java.util.function.Function;

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
 *
 * <p>Vert.x reads the first request of an HTTP/1.1 connection; once its body is read, the connection
 * is taken over for good ({@link PollConnection}): it and every later request on it are served by a
 * Netty handler, so a waiting poll keeps none of Vert.x's per-connection state.
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
  private final HttpLimits limits;
  private volatile boolean refusing;

  LongPollingEndpoint(EndpointContext context, PollOptions options, PollRegistry registry) {
    this.engine = context.engine();
    this.options = options;
    this.registry = registry;
    this.origins = context.origins();
    this.responseHeaders = Map.copyOf(context.responseHeaders());
    this.admission = Admission.shared(Admission.Limits.from(context.settings()));
    this.limits = HttpLimits.from(context.settings());
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

  /** The connection limits a taken-over connection applies itself ({@code --http_*_timeout}). */
  HttpLimits limits() {
    return limits;
  }

  PollOptions options() {
    return options;
  }

  SessionEngine engine() {
    return engine;
  }

  /** The live session with this poll ID, or null. */
  PollSession session(String id) {
    return registry.get(id);
  }

  /** Adds the headers every answer carries (CORS for {@code origin}, the exposed poll ID, no caching). */
  void commonHeaders(String origin, BiConsumer<String, String> put) {
    Cors.headers(origin, origins).forEach(put);
    put.accept("Access-Control-Allow-Headers", allowHeaders);
    put.accept("Access-Control-Expose-Headers", POLL_ID);
    responseHeaders.forEach(put);
    put.accept("Cache-Control", "no-store");
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    commonHeaders(req.getHeader("Origin"), res::putHeader);
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
    boolean first = id == null || id.isEmpty();
    if (first && refusing) {
      BoundedBody.reject(req, 503);
      return;
    }
    // A live session's keepalive stops while the body is read.
    PollSession known = first ? null : registry.get(id);
    if (known != null) {
      known.context().runOnContext(v -> known.arrived());
    }
    BoundedBody.read(req, options.maxRequestSize()).onComplete(ar -> {
      if (ar.failed()) {
        BoundedBody.reject(req, BoundedBody.statusOf(ar.cause()));
        if (known != null) {
          known.context().runOnContext(v -> known.departed());
        }
        return;
      }
      List<byte[]> lines = JsonLines.split(ar.result() == null ? Buffer.buffer() : ar.result());
      PollRequest r = first ? new PollRequest(id, lines, Handshake.requestInfo(req, engine.options(), null), Handshake.sid(req))
          : new PollRequest(id, lines, null, null);
      Function<Context, PollExchange> exchanges = PollConnection.applies(req)
          ? PollConnection.takeOver(req, this, here)::exchange
          : owner -> new VertxExchange(req, here, owner);
      serve(r, here, exchanges, known != null);
    });
  }

  /**
   * Serves a read request on the event loop of its connection ({@code here}): a later one is handed
   * over to its session (or answered 401 when it names none), a first one opens a session.
   * {@code exchanges} makes the request's exchange for the context of the session it is for;
   * {@code counted} says the session was already told the request {@link PollSession#arrived arrived}.
   */
  void serve(PollRequest r, Context here, Function<Context, PollExchange> exchanges, boolean counted) {
    if (!r.first()) {
      PollSession session = registry.get(r.pollId());
      if (session == null) {
        stale(exchanges.apply(here));
        return;
      }
      Context owner = session.context();
      PollExchange ex = exchanges.apply(owner);
      ex.watch(session);
      owner.runOnContext(v -> {
        if (!counted) {
          session.arrived();
        }
        session.poll(ex, r.lines());
      });
      return;
    }
    PollExchange ex = exchanges.apply(here);
    if (refusing) {
      ex.answer(503, Buffer.buffer(), ok -> { });
      return;
    }
    open(ex, here, r);
  }

  /**
   * A poll ID naming no live session (expired, closed, or never issued: without keeping the IDs of
   * ended sessions the server cannot tell them apart): 401 with a {@code session_expired}
   * disconnect, counted as a stale request.
   */
  private void stale(PollExchange ex) {
    registry.stale();
    ex.answer(401, JsonLines.join(List.of(PollSession.EXPIRED)), ok -> { });
  }

  /** The first request: a new session of this instance's engine, authenticated, then answered. */
  private void open(PollExchange ex, Context here, PollRequest r) {
    Admission.Ticket ticket = admission.admit(r.info().remoteAddress());
    if (!ticket.admitted()) {
      byte[] notice = ActionCableJson.EXT.encode(new Reply.Disconnect(ticket.refusal().reason, true));
      ex.retryAfter(String.valueOf(ticket.retryAfterSeconds()));
      ex.answer(ticket.refusal() == Admission.Refusal.RATE_LIMITED ? 429 : 503, JsonLines.join(List.of(notice)), ok -> { });
      return;
    }
    PollSession transport = new PollSession(PollRegistry.newId(), engine, registry, options, here);
    Session s = engine.open(transport, ActionCableJson.EXT, r.sid(), r.info());
    transport.bind(s);
    transport.arrived();
    ex.watch(transport);
    engine.start(s).onComplete(ar -> {
      ticket.release();
      transport.opened(ex, r.lines());
    });
  }
}
