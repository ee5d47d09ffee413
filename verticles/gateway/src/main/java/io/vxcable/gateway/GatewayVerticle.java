package io.vxcable.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.config.Settings;
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
    HttpServerOptions so = new HttpServerOptions()
        .setHost(o.host())
        .setPort(o.port())
        .setWebSocketSubProtocols(Handshake.SERVER_PROTOCOLS)
        .setMaxWebSocketFrameSize(o.maxMessageSize())
        .setMaxWebSocketMessageSize(o.maxMessageSize())
        .setPerMessageWebSocketCompressionSupported(o.compression())
        .setPerFrameWebSocketCompressionSupported(o.compression())
        .setWebSocketClosingTimeout(Math.max(1, o.writeTimeout()))
        .setRegisterWebSocketWriteHandlers(false)
        // Every write to a connection happens on its own event loop (the Node, the hub and the
        // timer wheel all run there), so Vert.x can write directly instead of through a
        // thread-safe queue: that queue's first chunk is about 4 KB per connection, twice.
        .setStrictThreadMode(true);
    if (o.tls()) {
      so.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.sslCert()).setKeyPath(o.sslKey()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
          .setAlpnVersions(List.of(HttpVersion.HTTP_1_1));
    }
    return so;
  }
}
