package io.vxcable.session.ds;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.protocol.Cors;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.HttpEndpoint;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * anycable-go's Durable Streams read API ({@code --ds}): {@code GET|HEAD <ds_path>/<stream>} with
 * {@code offset}, {@code live=long-poll|sse}, {@code cursor} and {@code signed}. In anycable-go's
 * order: CORS headers on every answer ({@code OPTIONS}: 200), parameters (400), the method (405),
 * authentication and stream authorization (401), then HEAD ({@link CatchUpRead}), a catch-up read
 * ({@link CatchUpRead}), a long poll ({@link LongPollRead}) or an SSE stream ({@link SseRead}).
 * One endpoint per gateway instance, on its event loop.
 */
final class DsEndpoint implements HttpEndpoint {

  private static final Logger LOG = Logger.getLogger(DsEndpoint.class.getName());

  private final Vertx vertx;
  private final SessionEngine engine;
  private final DsOptions options;
  private final AllowedOrigins origins;
  private final Map<String, String> responseHeaders;
  private final StreamAccess access;
  private final StreamReads reads;
  private final DsCursor cursor;
  private final DsStats stats;
  private volatile boolean refusing;

  DsEndpoint(Vertx vertx, SessionEngine engine, DsOptions options, AllowedOrigins origins,
      Map<String, String> responseHeaders, DsStats stats) {
    this.vertx = vertx;
    this.engine = engine;
    this.options = options;
    this.origins = origins;
    this.responseHeaders = Map.copyOf(responseHeaders);
    this.access = new StreamAccess(engine.options());
    this.reads = new StreamReads(vertx.eventBus());
    this.cursor = new DsCursor(System::currentTimeMillis, n -> ThreadLocalRandom.current().nextInt(n));
    this.stats = stats;
  }

  @Override
  public String path() {
    return options.path();
  }

  @Override
  public boolean tree() {
    return true;
  }

  @Override
  public String description() {
    return "Durable Streams requests";
  }

  @Override
  public void refuseNewConnections() {
    refusing = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    Cors.headers(req.getHeader("Origin"), origins).forEach(res::putHeader);
    if (req.method() == HttpMethod.OPTIONS) {
      res.setStatusCode(200).end();
      return;
    }
    responseHeaders.forEach(res::putHeader);
    DsParams params;
    try {
      params = DsParams.parse(options.path(), req.path(), req.getParam("offset"), req.getParam("live"),
          req.getParam("cursor"), req.getParam("signed"), req.getHeader("X-Signed"));
    } catch (DsParams.BadRequest e) {
      LOG.fine(() -> "invalid Durable Streams request: " + e.getMessage());
      res.setStatusCode(400).end();
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      res.setStatusCode(405).end();
      return;
    }
    if (refusing) {
      res.setStatusCode(503).end();
      return;
    }
    DsRead read;
    if (req.method() == HttpMethod.HEAD || !params.isLive()) {
      read = new CatchUpRead(this, req, params);
    } else if (params.live().equals(DsParams.LONG_POLL)) {
      read = new LongPollRead(this, req, params);
    } else {
      read = new SseRead(this, req, params);
    }
    read.start();
  }

  Vertx vertx() {
    return vertx;
  }

  SessionEngine engine() {
    return engine;
  }

  DsOptions options() {
    return options;
  }

  StreamAccess access() {
    return access;
  }

  StreamReads reads() {
    return reads;
  }

  DsCursor cursor() {
    return cursor;
  }

  DsStats stats() {
    return stats;
  }
}
