package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.config.Settings;
import io.vxcable.http.ListenerOptions;
import io.vxcable.session.SessionEngine;
import java.util.List;
import java.util.Set;
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

  private GatewayOptions options;
  private SessionEngine engine;
  private HttpServer server;
  private HttpFront front;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings settings = Settings.fromVerticleConfig(config());
    options = GatewayOptions.from(settings);
    engine = SessionEngine.create(vertx.eventBus(), options.session());
    front = new HttpFront(vertx, options, engine, List.of());
    server = vertx.createHttpServer(serverOptions(options))
        .requestHandler(front)
        .connectionHandler(front::onConnection);
    return engine.attach(vertx)
        .compose(v -> server.listen())
        .onSuccess(s -> LOG.info(() -> "gateway listening on " + (options.tls() ? "wss" : "ws") + "://"
            + options.host() + ":" + s.actualPort() + " paths " + options.paths()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> delay = options.shutdownDelay() > 0
        ? vertx.timer(options.shutdownDelay(), TimeUnit.SECONDS).mapEmpty()
        : Future.succeededFuture();
    return delay
        .compose(v -> {
          front.refuseNewConnections();
          return engine.shutdown().timeout(Math.max(1, options.shutdownTimeout()), TimeUnit.SECONDS);
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
    // WebSockets are served by NettyWebSocket on the channel Vert.x accepted (see WebSocketUpgrade),
    // which negotiates permessage-deflate itself: Vert.x's extension handler must stay out of the
    // pipeline, or it would add an inflater without a size limit. Writes go through Vert.x's own
    // queue while a connection speaks HTTP (strict thread mode would write past a full socket: a
    // client that pipelines requests without reading could grow the server's memory without bound).
    HttpServerOptions so = new HttpServerOptions()
        .setHost(o.host())
        .setPort(o.port())
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (o.tls()) {
      so.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.sslCert()).setKeyPath(o.sslKey()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    }
    return ListenerOptions.harden(so, o.limits());
  }
}
