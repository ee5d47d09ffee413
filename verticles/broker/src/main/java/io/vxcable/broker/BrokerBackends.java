package io.vxcable.broker;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vxcable.backends.NatsSettings;
import io.vxcable.backends.RedisSettings;
import io.vxcable.backends.Unreachable;
import io.vxcable.config.Settings;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Opens the brokers whose state lives in an external service ({@code --broker=redis|nats}) with
 * the connection options of anycable-go's flags. A new external backend is one more case here.
 */
final class BrokerBackends {

  /** An open broker and how to release its connection. */
  record Opened(Broker broker, Supplier<Future<Void>> close) {}

  private BrokerBackends() {}

  static boolean external(String adapter) {
    return adapter.equals("redis") || adapter.equals("nats");
  }

  static Future<Opened> open(Vertx vertx, Settings s, String adapter, LongSupplier clock) {
    int limit = s.integer("history_limit");
    int ttl = s.integer("history_ttl");
    int sessionsTtl = s.integer("sessions_ttl");
    if (adapter.equals("redis")) {
      RedisSettings redis = RedisSettings.from(s);
      Redis client = Redis.createClient(vertx, redis.options());
      return RedisBroker.start(vertx, client, RedisBroker.DEFAULT_PREFIX, limit, ttl, sessionsTtl, clock)
          .<Opened>map(b -> new Opened(b, () -> {
            client.close();
            return Future.succeededFuture();
          }))
          .onFailure(err -> client.close())
          .recover(err -> Future.failedFuture(Unreachable.redis(redis, "", err)));
    }
    NatsSettings nats = NatsSettings.from(s);
    return vertx.<Connection>executeBlocking(() -> Nats.connect(nats.options("vxcable-broker", null)))
        .compose(c -> NatsBroker.start(vertx, c, NatsBroker.DEFAULT_PREFIX, limit, ttl, sessionsTtl, clock)
            .<Opened>map(b -> new Opened(b, () -> close(vertx, c)))
            .onFailure(err -> close(vertx, c)))
        .recover(err -> Future.failedFuture(Unreachable.nats(nats, "", err)));
  }

  private static Future<Void> close(Vertx vertx, Connection c) {
    return vertx.executeBlocking(() -> {
      c.close();
      return null;
    });
  }
}
