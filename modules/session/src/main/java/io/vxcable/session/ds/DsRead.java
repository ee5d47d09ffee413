package io.vxcable.session.ds;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.observability.Trace;
import io.vxcable.session.RequestInfo;
import io.vxcable.session.Session;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.websocket.Handshake;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Durable Streams read, from its session's start to its response's end. The session lives in
 * the gateway's engine like a WebSocket one: authenticated like a handshake (RPC Connect with the
 * request's headers and cookies, a JWT in {@code X-JID} or {@code jid}, public mode), or admitted
 * as {@code ds::<sid>} with {@code --ds_skip_auth}; a failure is 401. Then the stream is authorized
 * ({@link StreamAccess}; 401) and the mode serves it. Whatever ends the read (its answer, the
 * client leaving, the engine closing the session) ends the session once. Runs on the engine's event
 * loop.
 */
abstract class DsRead {

  private static final Logger LOG = Logger.getLogger(DsRead.class.getName());

  final DsEndpoint endpoint;
  final HttpServerRequest req;
  final HttpServerResponse res;
  final DsParams params;
  final SessionEngine engine;
  final Session session;
  private final DsTransport transport = new DsTransport();
  private boolean serving;
  private boolean closeAfter;
  private boolean finished;

  DsRead(DsEndpoint endpoint, HttpServerRequest req, DsParams params) {
    this.endpoint = endpoint;
    this.req = req;
    this.res = req.response();
    this.params = params;
    this.engine = endpoint.engine();
    this.session = engine.open(transport, DsProtocol.INSTANCE, Handshake.sid(req), requestInfo(req, engine));
  }

  /** The handshake's request info, without pings ({@code pi=0}): a read has no use for them. */
  private static RequestInfo requestInfo(HttpServerRequest req, SessionEngine engine) {
    RequestInfo info = Handshake.requestInfo(req, engine.options(), null);
    Map<String, String> params = new HashMap<>(info.params());
    params.put("pi", "0");
    return new RequestInfo(info.url(), info.headers(), Map.copyOf(params), info.jwtToken(), info.remoteAddress(), null);
  }

  /** Authenticates, authorizes, then serves. */
  final void start() {
    res.closeHandler(v -> {
      if (!finished) {
        Trace.log(LOG, Level.FINE, session.sid(), () -> "Durable Streams reader left");
        finish();
      }
    });
    transport.onClose(code -> {
      if (serving && !finished) {
        closedByServer(code);
      }
    });
    Future<Void> authenticated;
    if (endpoint.options().skipAuth()) {
      engine.startAs(session, "ds::" + session.sid());
      authenticated = Future.succeededFuture();
    } else {
      authenticated = engine.start(session);
    }
    authenticated.onComplete(ar -> {
      if (finished) {
        return;
      }
      if (!session.connected()) {
        Trace.log(LOG, Level.FINE, session.sid(), () -> "Durable Streams read unauthenticated");
        answer(401);
        return;
      }
      if (transport.isClosed()) {
        answer(410);
        return;
      }
      if (!endpoint.access().allows(params.stream(), params.signed())) {
        Trace.log(LOG, Level.FINE, session.sid(), () -> "Durable Streams read of " + params.stream() + " unauthorized");
        answer(401);
        return;
      }
      serving = true;
      serve();
    });
  }

  /** Answers the authorized read. */
  abstract void serve();

  /** The engine closed the session while serving (shutdown: 1001, a remote disconnect: 1000). */
  abstract void closedByServer(int code);

  /** Lets go of what the mode holds (timers, the hub); called once, when the read ends. */
  void release() {}

  boolean finished() {
    return finished;
  }

  /** Ends the response with {@code status} and no body, then the read. */
  final void answer(int status) {
    end(status, null);
  }

  /**
   * Ends the response (with {@code status} unless its head is out, with {@code body} unless null),
   * closes the connection if it left the request deadlines, then ends the read.
   */
  final void end(int status, Buffer body) {
    if (!finished && !res.ended()) {
      if (!res.headWritten()) {
        res.setStatusCode(status);
        if (status >= 400) {
          // An error has no body: no JSON type (the published client then fails to read it and
          // retries forever) and nothing for a cache to keep.
          res.headers().remove("Content-Type").remove("Cache-Control");
        }
      }
      Future<Void> ended = body == null ? res.end() : res.end(body);
      if (closeAfter) {
        ended.onComplete(v -> req.connection().close());
      }
    }
    finish();
  }

  /** Ends the read: the mode's resources, then the session. The response is the caller's. */
  final void finish() {
    if (finished) {
      return;
    }
    finished = true;
    release();
    engine.onClosed(session);
  }

  /** Sets headers on the response. */
  final void headers(Map<String, String> headers) {
    headers.forEach(res::putHeader);
  }

  /** A broker read failed: 410 for a position it cannot serve, 500 when it did not answer. */
  final void failed(Throwable err) {
    if (err instanceof StreamReads.Gone) {
      Trace.log(LOG, Level.FINE, session.sid(), () -> "Durable Streams offset gone: " + err.getMessage());
      answer(410);
    } else {
      Trace.log(LOG, Level.WARNING, session.sid(), () -> "Durable Streams read failed: " + err);
      answer(500);
    }
  }

  /**
   * Takes the connection out of the request deadlines for a response that outlives them (they
   * would cut it); the connection is then closed with the response.
   */
  final void outliveDeadlines() {
    if (req.connection() instanceof HttpServerConnection conn) {
      ConnectionGuard.uninstall(conn.channelHandlerContext().pipeline());
      closeAfter = true;
    }
  }
}
