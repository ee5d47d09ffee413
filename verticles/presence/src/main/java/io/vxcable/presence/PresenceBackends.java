package io.vxcable.presence;

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
 * Opens the presence backends that live in an external service ({@code --broker=redis|nats}) with
 * the connection options of anycable-go's flags. A new external backend is one more case here.
 */
final class PresenceBackends {

  /** An open presence and how to release its connection. */
  record Opened(Presence presence, Supplier<Future<Void>> close) {}

  private PresenceBackends() {}

  static boolean external(String adapter) {
    return adapter.equals("redis") || adapter.equals("nats");
  }

  static Future<Opened> open(Vertx vertx, Settings s, String adapter, int ttl, LongSupplier clock) {
    if (adapter.equals("redis")) {
      RedisSettings redis = RedisSettings.from(s);
      Redis client = Redis.createClient(vertx, redis.options());
      return RedisPresence.start(vertx, client, RedisPresence.DEFAULT_PREFIX, ttl, clock)
          .<Opened>map(p -> new Opened(p, () -> {
            client.close();
            return Future.succeededFuture();
          }))
          .onFailure(err -> client.close())
          .recover(err -> Future.failedFuture(Unreachable.redis(redis, " for presence", err)));
    }
    NatsSettings nats = NatsSettings.from(s);
    return vertx.<Connection>executeBlocking(() -> Nats.connect(nats.options("vxcable-presence", null)))
        .compose(c -> NatsPresence.start(vertx, c, NatsPresence.DEFAULT_PREFIX, ttl, clock)
            .<Opened>map(p -> new Opened(p, () -> close(vertx, c)))
            .onFailure(err -> close(vertx, c)))
        .recover(err -> Future.failedFuture(Unreachable.nats(nats, " for presence", err)));
  }

  private static Future<Void> close(Vertx vertx, Connection c) {
    return vertx.executeBlocking(() -> {
      c.close();
      return null;
    });
  }
}
