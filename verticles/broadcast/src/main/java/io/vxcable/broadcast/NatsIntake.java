package io.vxcable.broadcast;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.backends.NatsSettings;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * anycable-go's legacy {@code nats} broadcast adapter: a subscription to the subject
 * {@code --nats_channel} on {@code --nats_servers}, every message a publication body. The NATS
 * client connects in the background, reconnects and resubscribes by itself for as long as it
 * takes (anycable-go gives up after five attempts); an unreachable server is logged. Messages
 * arrive on the client's thread and are handed to the verticle's context.
 */
final class NatsIntake {

  private static final Logger LOG = Logger.getLogger(NatsIntake.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final NatsSettings servers;
  private final String subject;
  private final Consumer<byte[]> handler;
  private volatile Connection connection;
  private volatile long received;
  private volatile boolean stopped;
  private final Reconnects reconnects;

  NatsIntake(Vertx vertx, NatsSettings servers, String subject, Consumer<byte[]> handler) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.servers = servers;
    this.subject = subject;
    this.handler = handler;
    this.reconnects = new Reconnects(vertx, "nats");
  }

  long received() {
    return received;
  }

  /**
   * Connects in the background (off the event loop); a server that is not there yet is tried
   * again with the {@code redis} adapter's backoff. Once connected, the client reconnects and
   * resubscribes by itself.
   */
  void start() {
    connect();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    var options = servers.options("vxcable-broadcast", listener());
    vertx.<Connection>executeBlocking(() -> Nats.connect(options)).onComplete(ar -> {
      if (ar.failed()) {
        if (!stopped) {
          reconnects.retry(servers.toString(), ar.cause().getMessage(), this::connect);
        }
        return;
      }
      reconnects.connected();
      if (stopped) {
        vertx.executeBlocking(() -> {
          ar.result().close();
          return null;
        });
      } else {
        connection = ar.result();
      }
    });
  }

  private ConnectionListener listener() {
    return (conn, event) -> {
      switch (event) {
        case CONNECTED -> {
          Dispatcher d = conn.createDispatcher(msg -> {
            byte[] body = msg.getData();
            received++;
            context.runOnContext(v -> handler.accept(body));
          });
          d.subscribe(subject);
          LOG.info(() -> "nats broadcast adapter: subscribed to " + subject + " at " + conn.getConnectedUrl());
        }
        case DISCONNECTED -> LOG.warning(() -> "nats broadcast adapter: disconnected from " + servers + "; reconnecting");
        case RECONNECTED -> LOG.info(() -> "nats broadcast adapter: reconnected to " + conn.getConnectedUrl());
        default -> { }
      }
    };
  }

  Future<Void> stop() {
    stopped = true;
    reconnects.cancel();
    Connection c = connection;
    connection = null;
    if (c == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      c.close();
      return null;
    });
  }
}
