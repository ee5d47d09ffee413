package io.vxcable.pubsub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * Redis pub/sub: {@code SUBSCRIBE <channel>} on one connection, {@code PUBLISH} on another (one
 * connection, so messages leave in order). Either connection lost is reopened; messages published
 * meanwhile wait in a {@link Backlog}. Messages published while this node was not subscribed are
 * not received (that is Redis pub/sub).
 */
final class RedisRelay implements Relay {

  private static final Logger LOG = Logger.getLogger(RedisRelay.class.getName());

  private final Vertx vertx;
  private final RedisSettings settings;
  private final String channel;
  private final Redis client;
  private final Backlog backlog = new Backlog(10_000);
  private Consumer<byte[]> received;
  private Runnable resumed;
  private RedisConnection subscriber;
  private RedisConnection publisher;
  private boolean connecting;
  private boolean stopped;
  private long timer = -1;

  RedisRelay(Vertx vertx, RedisSettings settings, String channel) {
    this.vertx = vertx;
    this.settings = settings;
    this.channel = channel;
    this.client = Redis.createClient(vertx, settings.options());
  }

  @Override
  public void start(Consumer<byte[]> received, Runnable resumed) {
    this.received = received;
    this.resumed = resumed;
    connect();
  }

  @Override
  public void publish(Buffer message) {
    if (publisher == null) {
      backlog.add(message);
      return;
    }
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message));
  }

  @Override
  public String describe() {
    return "Redis pub/sub channel " + channel + " at " + settings.redacted();
  }

  private void connect() {
    if (stopped || connecting) {
      return;
    }
    connecting = true;
    Future<RedisConnection> sub = subscriber != null ? Future.succeededFuture(subscriber) : client.connect().compose(c -> {
      c.handler(this::onPush);
      c.exceptionHandler(err -> lost(c, err.getMessage()));
      c.endHandler(v -> lost(c, "connection closed"));
      return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(c);
    });
    sub.compose(s -> {
      subscriber = s;
      return publisher != null ? Future.succeededFuture(publisher) : client.connect().map(p -> {
        p.exceptionHandler(err -> lost(p, err.getMessage()));
        p.endHandler(v -> lost(p, "connection closed"));
        return p;
      });
    }).onComplete(ar -> {
      connecting = false;
      if (stopped) {
        close();
        return;
      }
      if (ar.failed()) {
        retry(ar.cause().getMessage());
        return;
      }
      publisher = ar.result();
      int failed = backlog.connected();
      int waiting = backlog.size();
      LOG.info(() -> "pub/sub: " + (failed > 0 ? "reconnected to " : "connected to ") + describe()
          + (waiting > 0 ? "; sending " + waiting + " message(s) published meanwhile" : ""));
      backlog.drain(this::publish);
      if (failed > 0) {
        resumed.run();
      }
    });
  }

  private void onPush(Response r) {
    if (r.type() != ResponseType.PUSH && r.type() != ResponseType.MULTI) {
      return;
    }
    if (r.size() >= 3 && "message".equals(r.get(0).toString()) && channel.equals(r.get(1).toString())) {
      received.accept(r.get(2).toBytes());
    }
  }

  private void lost(RedisConnection c, String why) {
    if (stopped || (c != subscriber && c != publisher)) {
      return;
    }
    if (c == subscriber) {
      subscriber = null;
    } else {
      publisher = null;
    }
    c.close();
    retry(why);
  }

  private void retry(String why) {
    if (stopped || timer >= 0) {
      return;
    }
    long delay = backlog.nextDelayMs();
    LOG.warning(() -> "pub/sub: " + describe() + " unavailable (" + why + "); retry in " + delay + " ms");
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      connect();
    });
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return close();
  }

  private Future<Void> close() {
    Future<Void> a = subscriber == null ? Future.succeededFuture() : subscriber.close().otherwiseEmpty();
    Future<Void> b = publisher == null ? Future.succeededFuture() : publisher.close().otherwiseEmpty();
    subscriber = null;
    publisher = null;
    return Future.join(a, b).<Void>mapEmpty().eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }
}
