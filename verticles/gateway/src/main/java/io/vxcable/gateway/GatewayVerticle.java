package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vxcable.config.Settings;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.http.Listening;
import io.vxcable.http.ListenerOptions;
import io.vxcable.observability.Metrics;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.translator.Translators;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The gateway: owns the main port (WebSocket paths, health, and HTTP broadcasts forwarded to the
 * intake when they share the port), the sessions of the connections it accepts, and its local hub.
 * Deploy several instances to use several event loops; they share the port. Talks to other
 * verticles only over the event bus.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());
  /** The translators on the class path, found once per process. */
  private static final List<Translator> TRANSLATORS = Translators.discover();

  private GatewayOptions options;
  private SessionEngine engine;
  private HttpServer server;
  private HttpFront front;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings settings = Settings.fromVerticleConfig(config());
    options = GatewayOptions.from(settings);
    Metrics metrics = Metrics.of(vertx, settings);
    engine = SessionEngine.create(vertx.eventBus(), options.session(), metrics);
    front = new HttpFront(vertx, options, engine, TRANSLATORS, settings, metrics);
    server = vertx.createHttpServer(serverOptions(options))
        .requestHandler(front)
        .connectionHandler(front::onConnection);
    return engine.attach(vertx)
        .compose(v -> Listening.listen(server, options.host(), options.port(), "WebSocket clients", "--port"))
        .onSuccess(s -> {
          String base = (options.tls() ? "https" : "http") + "://" + options.host() + ":" + s.actualPort();
          // Every instance listens on the shared port and mounts the same endpoints: one line each per process.
          if (firstToAnnounce(base)) {
            LOG.info(() -> "gateway listening on " + (options.tls() ? "wss" : "ws") + "://"
                + options.host() + ":" + s.actualPort() + " paths " + options.paths() + " (" + instances() + ")");
          }
          front.httpEndpoints().stream()
              .filter(e -> firstToAnnounce(base + e.path()))
              .forEach(e -> LOG.info(() -> "Handle " + e.description() + " at " + base + e.path()));
        });
  }

  private boolean firstToAnnounce(String what) {
    return vertx.sharedData().getLocalMap("vxcable.gateway.announced").putIfAbsent(what, true) == null;
  }

  private String instances() {
    int n = context.getInstanceCount();
    return n == 1 ? "one event loop" : n + " event loops";
  }

  @Override
  public Future<?> stop() {
    Future<Void> delay = options.shutdownDelay() > 0
        ? vertx.timer(options.shutdownDelay(), TimeUnit.SECONDS).mapEmpty()
        : Future.succeededFuture();
    return delay
        .compose(v -> {
          front.refuseNewConnections();
          long drain = options.shutdownSlowdrain() ? SessionEngine.drainPeriodMs(options.shutdownTimeout()) : 0;
          return engine.shutdown(drain).timeout(Math.max(1, options.shutdownTimeout()), TimeUnit.SECONDS);
        })
        .otherwiseEmpty()
        .compose(v -> server.close())
        .compose(v -> engine.detach());
  }

  /** The session engine of this instance (tests). */
  SessionEngine engine() {
    return engine;
  }

  /** The port the main listener bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }

  static HttpServerOptions serverOptions(GatewayOptions o) {
    return ListenerOptions.listener(o.host(), o.port(), o.sslCert(), o.sslKey(), o.limits());
  }
}
