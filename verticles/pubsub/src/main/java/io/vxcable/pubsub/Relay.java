package io.vxcable.pubsub;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * A pub/sub service the bridge relays through (Redis pub/sub, NATS). Every node publishes to and
 * subscribes to one channel. A new service is a new implementation; the bridge does not change.
 * Calls come from the bridge's context; received messages must be handed back on it.
 */
interface Relay {

  /**
   * Connects and subscribes in the background, reconnecting for as long as it takes; completes at
   * once. {@code resumed} runs (on the bridge's context) each time the subscription is back after
   * a disconnection: what was published meanwhile did not arrive.
   */
  void start(Consumer<byte[]> received, Runnable resumed);

  /** Publishes in call order; while disconnected, a bounded number of messages waits for the reconnection. */
  void publish(Buffer message);

  Future<Void> stop();

  /** What the relay talks to, for logs (no credentials). */
  String describe();
}
