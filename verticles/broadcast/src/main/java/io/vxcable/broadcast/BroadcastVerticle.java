package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.HttpIntakeReply;
import io.vxcable.contracts.bus.HttpIntakeRequest;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.AllowedOrigins;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The broadcast intake: accepts publications and remote commands over HTTP and publishes them on
 * the bus ({@code cable.events.broadcast.<shard>}, {@code cable.events.command}). When the HTTP
 * broadcast port is the main port, the gateway owning that port forwards the requests over
 * {@code cable.broadcast.http}; otherwise this verticle listens itself.
 */
public final class BroadcastVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(BroadcastVerticle.class.getName());

  private BroadcastOptions options;
  private PublicationIntake intake;
  private MessageConsumer<HttpIntakeRequest> forwarded;
  private HttpServer server;
  private AllowedOrigins origins;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    options = BroadcastOptions.from(Settings.fromVerticleConfig(config()));
    if (!options.http()) {
      return Future.succeededFuture();
    }
    origins = new AllowedOrigins(options.allowedOrigins());
    EventBus bus = vertx.eventBus();
    BrokerPublisher broker = new BrokerPublisher(vertx, System::currentTimeMillis);
    intake = new PublicationIntake(options.key(), new Publisher() {
      @Override
      public Future<Void> publish(List<StreamBroadcast> broadcasts) {
        if (options.broker()) {
          return broker.publish(broadcasts);
        }
        for (StreamBroadcast b : broadcasts) {
          bus.publish(Addresses.broadcastAddress(b.getStream()), b);
        }
        return Future.succeededFuture();
      }

      @Override
      public void command(RemoteCommand c) {
        bus.publish(Addresses.EVENTS_COMMAND, c);
      }
    });
    forwarded = bus.consumer(Addresses.BROADCAST_HTTP, m -> {
      HttpIntakeRequest r = m.body();
      intake.handle(r.getMethod(), r.getAuthorization(), r.getBody().toByteArray())
          .onSuccess(status -> m.reply(HttpIntakeReply.newBuilder().setStatus(status).build()));
    });
    Future<?> ready = forwarded.completion();
    if (options.ownListener()) {
      server = vertx.createHttpServer(serverOptions()).requestHandler(this::handle);
      ready = ready.compose(v -> server.listen())
          .onSuccess(s -> LOG.info(() -> "broadcast intake listening on " + options.host() + ":" + s.actualPort()
              + options.path()));
    }
    return ready;
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return forwarded == null ? closed : closed.compose(v -> forwarded.unregister());
  }

  /** Bodies accepted and refused by this instance (for metrics and tests). */
  public PublicationIntake intake() {
    return intake;
  }

  private void handle(HttpServerRequest req) {
    if (!req.path().equals(options.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    if (options.cors()) {
      Cors.apply(req, origins);
      if (req.method() == HttpMethod.OPTIONS) {
        req.response().setStatusCode(200).end();
        return;
      }
    }
    req.body()
        .compose(body -> intake.handle(req.method().name(), req.getHeader("Authorization"), body.getBytes()))
        .onSuccess(status -> req.response().setStatusCode(status).end())
        .onFailure(err -> req.response().setStatusCode(422).end());
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions so = new HttpServerOptions().setHost(options.host()).setPort(options.port());
    if (!options.sslCert().isEmpty()) {
      so.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.sslCert()).setKeyPath(options.sslKey()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    }
    return so;
  }
}
