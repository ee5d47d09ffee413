package io.vxcable.pubsub;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vxcable.backends.NatsSettings;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * NATS: a subscription to one subject and publications on it. The client reconnects and
 * resubscribes by itself once connected, and holds what is published during a reconnection in its
 * reconnect buffer; until the first connection, messages wait in a {@link Backlog}. Received
 * messages arrive on the client's thread and are handed to the bridge's context.
 */
final class NatsRelay implements Relay {

  private static final Logger LOG = Logger.getLogger(NatsRelay.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final NatsSettings settings;
  private final String subject;
  private final Backlog backlog = new Backlog(10_000);
  private volatile Connection connection;
  private volatile boolean stopped;
  private long timer = -1;
  private Consumer<byte[]> received;
  private Runnable resumed;

  NatsRelay(Vertx vertx, NatsSettings settings, String subject) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.settings = settings;
    this.subject = subject;
  }

  @Override
  public void start(Consumer<byte[]> received, Runnable resumed) {
    this.received = received;
    this.resumed = resumed;
    connect();
  }

  @Override
  public void publish(Buffer message) {
    Connection c = connection;
    if (c == null) {
      backlog.add(message);
      return;
    }
    c.publish(subject, message.getBytes());
  }

  @Override
  public String describe() {
    return "NATS subject " + subject + " at " + settings;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    var options = settings.options("vxcable-pubsub", listener());
    vertx.<Connection>executeBlocking(() -> {
      Connection c = Nats.connect(options);
      c.createDispatcher(msg -> {
        byte[] body = msg.getData();
        context.runOnContext(v -> received.accept(body));
      }).subscribe(subject);
      c.flush(java.time.Duration.ofSeconds(5));
      return c;
    }).onComplete(ar -> {
      if (ar.failed()) {
        long delay = backlog.nextDelayMs();
        LOG.warning(() -> "pub/sub: " + describe() + " unavailable (" + ar.cause().getMessage() + "); retry in " + delay + " ms");
        timer = vertx.setTimer(delay, id -> {
          timer = -1;
          connect();
        });
        return;
      }
      if (stopped) {
        close(ar.result());
        return;
      }
      connection = ar.result();
      int waiting = backlog.size();
      backlog.connected();
      LOG.info(() -> "pub/sub: connected to " + describe() + (waiting > 0 ? "; sending " + waiting + " message(s) published meanwhile" : ""));
      backlog.drain(this::publish);
    });
  }

  private ConnectionListener listener() {
    return (conn, event) -> {
      switch (event) {
        case DISCONNECTED -> LOG.warning(() -> "pub/sub: disconnected from " + describe() + "; reconnecting");
        case RECONNECTED -> {
          LOG.info(() -> "pub/sub: reconnected to " + describe());
          context.runOnContext(v -> resumed.run());
        }
        default -> { }
      }
    };
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Connection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : close(c);
  }

  private Future<Void> close(Connection c) {
    return vertx.executeBlocking(() -> {
      c.close();
      return null;
    });
  }
}
