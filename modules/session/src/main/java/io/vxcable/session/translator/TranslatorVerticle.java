package io.vxcable.session.translator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.http.Listening;
import io.vxcable.http.Connections;
import io.vxcable.http.HttpLimits;
import io.vxcable.http.ListenerOptions;
import io.vxcable.http.Routes;
import io.vxcable.observability.Metrics;
import io.vxcable.protocol.AllowedOrigins;
import io.vxcable.session.SessionEngine;
import io.vxcable.session.SessionOptions;
import io.vxcable.session.spi.Translator;
import io.vxcable.session.spi.TranslatorContext;
import io.vxcable.session.websocket.WebSocketEndpoint;
import io.vxcable.session.websocket.WebSocketOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A translator served on a port of its own: {@code scripts/vertx run <subclass> -conf <json>
 * [-cluster]}. The config is a gateway's ({@code host}, {@code port}, {@code health-path}, the
 * session flags, the listener limits) plus the translator's own keys. Its sessions reach RPC, the
 * broker and presence over the bus, and receive the broadcasts of the whole (clustered) bus, like
 * a gateway's. Subclass it with a no-argument constructor:
 *
 * <pre>{@code
 * public final class PubSubVerticle extends TranslatorVerticle {
 *   public PubSubVerticle() { super(new PubSubTranslator()); }
 * }
 * }</pre>
 */
public class TranslatorVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(TranslatorVerticle.class.getName());

  private final Translator translator;
  private SessionEngine engine;
  private WebSocketEndpoint endpoint;
  private HttpServer server;
  private int shutdownTimeout;
  private boolean slowDrain;

  protected TranslatorVerticle(Translator translator) {
    this.translator = translator;
  }

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings settings = Settings.fromVerticleConfig(config());
    String path = translator.path(settings);
    if (path == null || path.isEmpty()) {
      return Future.failedFuture(new ConfigException("translator " + translator.name() + " has no path in its config"));
    }
    shutdownTimeout = Math.max(1, settings.integer("shutdown_timeout"));
    slowDrain = settings.bool("shutdown_slowdrain");
    engine = SessionEngine.create(vertx.eventBus(), SessionOptions.from(settings), Metrics.of(vertx, settings));
    HttpLimits limits = HttpLimits.from(settings);
    Routes routes = new Routes();
    routes.add(settings.string("health-path"), req -> req.response().end("OK"));
    endpoint = Translators.mount(translator, new TranslatorContext(vertx, engine, settings), routes,
        WebSocketOptions.from(settings), new AllowedOrigins(settings.list("allowed_origins").stream().map(String::toLowerCase).toList()), Map.of());
    server = vertx.createHttpServer(ListenerOptions.listener(settings.string("host"), settings.integer("port"),
            settings.string("ssl_cert"), settings.string("ssl_key"), limits))
        .requestHandler(routes)
        .connectionHandler(new Connections(settings.integer("port"), settings.integer("max-conn"), limits)::accepted);
    return engine.attach(vertx)
        .compose(v -> Listening.listen(server, settings.string("host"), settings.integer("port"), "translator " + translator.name(), "--port"))
        .onSuccess(s -> LOG.info(() -> "translator " + translator.name() + " listening on " + settings.string("host") + ":"
            + s.actualPort() + path));
  }

  @Override
  public Future<?> stop() {
    if (endpoint != null) {
      endpoint.refuseNewConnections();
    }
    return engine.shutdown(slowDrain ? SessionEngine.drainPeriodMs(shutdownTimeout) : 0)
        .timeout(shutdownTimeout, TimeUnit.SECONDS).otherwiseEmpty()
        .compose(v -> server.close())
        .compose(v -> engine.detach());
  }

  /** The port bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }
}
