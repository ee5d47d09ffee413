package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.config.Settings;
import io.vxcable.http.ListenerOptions;
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
  private static final long TICK_MS = 50;
  private static final long SHARD_SWEEP_MS = 10_000;

  private GatewayOptions options;
  private Node node;
  private HttpServer server;
  private HttpFront front;
  private MessageConsumer<RemoteCommand> commands;
  private long tickTimer = -1;
  private long sweepTimer = -1;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    options = GatewayOptions.from(Settings.fromVerticleConfig(config()));
    Controller fallback = options.norpc() ? new NullController()
        : new BusRpcController(vertx.eventBus(), options.rpcTimeoutMs());
    node = new Node(options, new StreamsRouter(fallback, options), vertx.eventBus(), () -> System.nanoTime() / 1_000_000);
    commands = vertx.eventBus().consumer(Addresses.EVENTS_COMMAND, m -> node.remoteCommand(m.body()));
    tickTimer = vertx.setPeriodic(TICK_MS, id -> node.tick());
    sweepTimer = vertx.setPeriodic(SHARD_SWEEP_MS, id -> node.hub().releaseIdleShards());
    front = new HttpFront(vertx, options, node);
    server = vertx.createHttpServer(serverOptions(options))
        .requestHandler(front)
        .connectionHandler(front::onConnection);
    return commands.completion()
        .compose(v -> server.listen())
        .onSuccess(s -> LOG.info(() -> "gateway listening on " + (options.tls() ? "wss" : "ws") + "://"
            + options.host() + ":" + s.actualPort() + " paths " + options.paths()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(sweepTimer);
    Future<Void> delay = options.shutdownDelay() > 0
        ? vertx.timer(options.shutdownDelay(), TimeUnit.SECONDS).mapEmpty()
        : Future.succeededFuture();
    return delay
        .compose(v -> {
          front.refuseNewConnections();
          return node.shutdown().timeout(Math.max(1, options.shutdownTimeout()), TimeUnit.SECONDS);
        })
        .otherwiseEmpty()
        .compose(v -> server.close())
        .compose(v -> node.hub().close())
        .compose(v -> commands.unregister());
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
