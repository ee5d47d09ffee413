package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vxcable.backends.RedisSettings;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * anycable-go's legacy {@code redis} broadcast adapter: {@code SUBSCRIBE <redis_channel>} on a
 * connection of its own, every message a publication body (one object, a batch, or a remote
 * command). A lost or refused connection is logged and retried with anycable-go's backoff
 * (250 ms, then 2–4 s, 4–8 s, 8–16 s, 16–32 s) and then every 16–32 s for as long as it takes:
 * anycable-go stops the server after five attempts, which would take down connections that do not
 * need Redis. Messages published while no subscriber is connected are lost (that is Redis pub/sub);
 * {@code redisx} is the adapter that keeps them.
 */
final class RedisPubSubIntake {

  private static final Logger LOG = Logger.getLogger(RedisPubSubIntake.class.getName());

  private final Vertx vertx;
  private final Redis client;
  private final RedisSettings settings;
  private final String channel;
  private final Consumer<byte[]> handler;
  private RedisConnection connection;
  private final Reconnects reconnects;
  private boolean stopped;
  private long received;

  RedisPubSubIntake(Vertx vertx, RedisSettings settings, String channel, Consumer<byte[]> handler) {
    this.vertx = vertx;
    this.settings = settings;
    this.channel = channel;
    this.handler = handler;
    this.client = Redis.createClient(vertx, settings.options());
    this.reconnects = new Reconnects(vertx, "redis");
  }

  /** Starts subscribing; completes at once, the subscription follows as soon as Redis answers. */
  void start() {
    connect();
  }

  Future<Void> stop() {
    stopped = true;
    reconnects.cancel();
    RedisConnection c = connection;
    connection = null;
    Future<Void> closed = c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
    return closed.eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  /** Messages received on the channel so far. */
  long received() {
    return received;
  }

  boolean subscribed() {
    return connection != null;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    client.connect()
        .compose(c -> {
          c.handler(this::onPush);
          c.exceptionHandler(err -> lost(c, err.getMessage()));
          c.endHandler(v -> lost(c, "connection closed"));
          return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(c);
        })
        .onSuccess(c -> {
          if (stopped) {
            c.close();
            return;
          }
          connection = c;
          int failed = reconnects.connected();
          LOG.info(() -> "redis broadcast adapter: subscribed to " + channel
              + (failed > 0 ? " again after " + failed + " attempts" : " at " + settings.redacted()));
        })
        .onFailure(err -> retry(err.getMessage()));
  }

  private void onPush(Response r) {
    if (r.type() != ResponseType.PUSH && r.type() != ResponseType.MULTI) {
      return;
    }
    if (r.size() >= 3 && "message".equals(r.get(0).toString()) && channel.equals(r.get(1).toString())) {
      received++;
      handler.accept(r.get(2).toBytes());
    }
  }

  private void lost(RedisConnection c, String why) {
    if (connection != c || stopped) {
      return;
    }
    connection = null;
    c.close();
    retry(why);
  }

  private void retry(String why) {
    if (!stopped) {
      reconnects.retry(settings.redacted(), why, this::connect);
    }
  }
}
