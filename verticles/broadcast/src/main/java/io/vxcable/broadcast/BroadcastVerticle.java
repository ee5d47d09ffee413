package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.RemoteCommand;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.http.Listening;
import io.vxcable.http.ConnectionGuard;
import io.vxcable.http.ListenerOptions;
import io.vxcable.observability.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The broadcast intake: accepts publications and remote commands over HTTP and publishes them on
 * the bus ({@code cable.events.broadcast.<shard>}, {@code cable.events.command}), and serves the
 * REST API ({@link RestApi}). When the HTTP broadcast port (or the API port) is the main port, the
 * gateway owning that port forwards the requests over {@code cable.broadcast.http} (or
 * {@code cable.broadcast.api}); otherwise this verticle listens itself.
 */
public final class BroadcastVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(BroadcastVerticle.class.getName());

  private BroadcastOptions options;
  private PublicationIntake intake;
  private HttpEndpoints endpoints;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<HttpServer> servers = new ArrayList<>();
  private RedisPubSubIntake redis;
  private RedisStreamIntake redisx;
  private NatsIntake nats;
  private volatile long pubSubPublications;
  private volatile long pubSubFailed;
  private volatile long streamPublications;
  /** Every node gets a legacy pub/sub adapter's messages itself: none is relayed to other nodes. */
  private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true)
      .addHeader(Addresses.HEADER_NODE_ONLY, "1");

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings settings = Settings.fromVerticleConfig(config());
    options = BroadcastOptions.from(settings);
    if (!options.http() && !options.api() && !options.redis() && !options.redisx() && !options.nats()) {
      return Future.succeededFuture();
    }
    EventBus bus = vertx.eventBus();
    BrokerPublisher broker = new BrokerPublisher(vertx, System::currentTimeMillis);
    Publisher publisher = new Publisher() {
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
    };
    List<Future<?>> ready = new ArrayList<>();
    intake = options.http() ? new PublicationIntake(options.key(), publisher) : null;
    RestApi api = options.api() ? new RestApi(bus, options.apiPath(), options.apiSecret(), publisher) : null;
    // Pusher mode (both the app id and key): the Pusher HTTP API, reached through the translator.
    PusherApi pusher = settings.string("pusher_app_id").isEmpty() || settings.string("pusher_app_key").isEmpty() ? null
        : new PusherApi(bus, settings.string("pusher_app_id"), settings.string("pusher_app_key"),
            settings.string("pusher_secret"), publisher, () -> System.currentTimeMillis() / 1000);
    endpoints = new HttpEndpoints(options, intake, api, pusher);
    report(Metrics.of(vertx, settings), api);
    for (MessageConsumer<?> forwarded : endpoints.serveForwarded(vertx)) {
      consumers.add(forwarded);
      ready.add(forwarded.completion());
    }
    if (options.redis()) {
      // Legacy fan-out: every node subscribes and delivers to its own gateways only, never
      // through the broker (anycable-go's redis adapter keeps no history either).
      redis = new RedisPubSubIntake(vertx, options.redisSettings(), options.redisChannel(), body -> fromPubSub(bus, body));
      redis.start();
    }
    if (options.nats()) {
      // Legacy fan-out, like redis: every node subscribes and delivers to its own gateways.
      nats = new NatsIntake(vertx, options.natsSettings(), options.natsChannel(),
          body -> fromPubSub(bus, body));
      nats.start();
    }
    if (options.redisx()) {
      redisx = new RedisStreamIntake(vertx, options.redisSettings(), options.redisxStream(), options.redisxGroup(),
          options.redisxBlockMs(), bodies -> fromStream(publisher, bodies));
      redisx.start();
    }
    if (options.ownListener()) {
      HttpServer s = listener(options.port(), endpoints::broadcastListener);
      ready.add(Listening.listen(s, options.host(), options.port(), "the broadcast intake", "--http_broadcast_port").onSuccess(l -> LOG.info(() -> "broadcast intake listening on " + options.host() + ":"
          + l.actualPort() + options.path() + (options.apiOnBroadcastListener() ? " and REST API on " + options.apiPath() : ""))));
    }
    int pusherPort = settings.integer("pusher_api_port");
    if (pusher != null && pusherPort != 0 && pusherPort != settings.integer("port")) {
      // --pusher_api_port: the Pusher HTTP API on a port of its own (the translator forwards none).
      HttpServer s = listener(pusherPort, endpoints::pusherListener);
      ready.add(Listening.listen(s, options.host(), pusherPort, "the Pusher API", "--pusher_api_port").onSuccess(l -> LOG.info(() -> "Pusher API listening on " + options.host() + ":"
          + l.actualPort() + pusher.prefix() + "/")));
    }
    if (options.ownApiListener()) {
      HttpServer s = listener(options.apiPort(), endpoints::apiListener);
      ready.add(Listening.listen(s, options.host(), options.apiPort(), "the REST API", "--api_port").onSuccess(l -> LOG.info(() -> "REST API listening on " + options.host() + ":" + l.actualPort()
          + options.apiPath())));
    }
    return Future.all(ready);
  }

  /**
   * anycable-go's intake metrics: {@code publications_total} counts the bodies of the HTTP
   * endpoint, the REST API and Redis Streams (a batch once; the legacy pub/sub adapters deliver on
   * every node and are not publications), {@code failed_broadcast_msg_total} the bodies of any
   * adapter that did not parse.
   */
  private void report(Metrics m, RestApi api) {
    PublicationIntake http = intake;
    m.counter("publications_total", "The total number of publications received by this node",
        () -> (http == null ? 0 : http.publications()) + (api == null ? 0 : api.publications()) + streamPublications);
    m.counter("failed_broadcast_msg_total", "The total number of unrecognized messages received through PubSub",
        () -> (http == null ? 0 : http.failed()) + (api == null ? 0 : api.failed()) + pubSubFailed);
  }

  /** A body from a pub/sub adapter: parsed like an HTTP body, published to this node only. */
  private void fromPubSub(EventBus bus, byte[] body) {
    PublicationParser.Parsed parsed;
    try {
      parsed = PublicationParser.parse(body);
    } catch (PublicationParser.InvalidPublicationException e) {
      pubSubFailed++;
      LOG.warning(() -> "ignoring a pub/sub publication: " + e.getMessage());
      return;
    }
    pubSubPublications++;
    for (StreamBroadcast b : parsed.broadcasts()) {
      bus.publish(Addresses.broadcastAddress(b.getStream()), b, LOCAL_ONLY);
    }
    for (RemoteCommand c : parsed.commands()) {
      bus.publish(Addresses.EVENTS_COMMAND, c, LOCAL_ONLY);
    }
  }

  /**
   * The bodies of one read of the Redis stream: parsed like HTTP bodies and published together,
   * in stream order (one broker batch when there is a broker, to every node otherwise); their
   * entries are acknowledged once this completes. A broker failure leaves them all pending.
   */
  private Future<List<RedisStreamIntake.Outcome>> fromStream(Publisher publisher, List<byte[]> bodies) {
    List<RedisStreamIntake.Outcome> outcomes = new ArrayList<>(bodies.size());
    List<StreamBroadcast> broadcasts = new ArrayList<>();
    List<RemoteCommand> commands = new ArrayList<>();
    List<Integer> parsedAt = new ArrayList<>();
    for (byte[] body : bodies) {
      try {
        PublicationParser.Parsed parsed = PublicationParser.parse(body);
        pubSubPublications++;
        streamPublications++;
        broadcasts.addAll(parsed.broadcasts());
        commands.addAll(parsed.commands());
        parsedAt.add(outcomes.size());
        outcomes.add(RedisStreamIntake.Outcome.HANDLED);
      } catch (PublicationParser.InvalidPublicationException e) {
        pubSubFailed++;
        LOG.warning(() -> "ignoring a redisx publication: " + e.getMessage());
        outcomes.add(RedisStreamIntake.Outcome.MALFORMED);
      }
    }
    Future<Void> stored = broadcasts.isEmpty() ? Future.succeededFuture() : publisher.publish(broadcasts);
    return stored.map(v -> {
      commands.forEach(publisher::command);
      return outcomes;
    }).otherwise(err -> {
      LOG.warning(() -> "redisx: the broker refused " + broadcasts.size() + " publications (" + err.getMessage()
          + "); their entries stay pending");
      for (int i : parsedAt) {
        outcomes.set(i, RedisStreamIntake.Outcome.FAILED);
      }
      return outcomes;
    });
  }

  /** The redisx adapter, when on (for tests). */
  RedisStreamIntake redisx() {
    return redisx;
  }

  /** Bodies from pub/sub adapters accepted (a batch counts once). */
  public long pubSubPublications() {
    return pubSubPublications;
  }

  /** Bodies from pub/sub adapters that did not parse (skipped; the adapter goes on). */
  public long pubSubFailed() {
    return pubSubFailed;
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (redis != null) {
      closing.add(redis.stop());
    }
    if (redisx != null) {
      closing.add(redisx.stop());
    }
    if (nats != null) {
      closing.add(nats.stop());
    }
    servers.forEach(s -> closing.add(s.close()));
    consumers.forEach(c -> closing.add(c.unregister()));
    return Future.join(closing);
  }

  /** Bodies accepted and refused by this instance (for metrics and tests). */
  public PublicationIntake intake() {
    return intake;
  }

  /** A listener of this verticle: every connection guarded by the request deadlines. */
  private HttpServer listener(int port, io.vertx.core.Handler<HttpServerRequest> handler) {
    HttpServerOptions so = ListenerOptions.listener(options.host(), port, options.sslCert(), options.sslKey(), options.limits());
    HttpServer s = vertx.createHttpServer(so).requestHandler(handler)
        .connectionHandler(conn -> ConnectionGuard.install(conn, options.limits()));
    servers.add(s);
    return s;
  }
}
