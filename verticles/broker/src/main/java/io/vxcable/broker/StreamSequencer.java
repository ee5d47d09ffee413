package io.vxcable.broker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps each stream's publications in arrival order from the broker to the bus: at most one append
 * per shard is in flight, and whatever arrived for the shard meanwhile goes in the next append as
 * one batch (group commit; a cluster backend stores a shard's batch in one operation). Stamped
 * messages are handed to {@code publish} in offset order. Owned by one event loop.
 */
final class StreamSequencer {

  private record Pending(StreamBroadcast message, String tag, Promise<StreamBroadcast> done) {}

  /** Most messages per append: bounds a batch's size on the wire. */
  static final int MAX_BATCH = 512;

  private final Broker broker;
  private final Consumer<StreamBroadcast> publish;
  private final Map<Integer, ArrayDeque<Pending>> queues = new HashMap<>();

  StreamSequencer(Broker broker, Consumer<StreamBroadcast> publish) {
    this.broker = broker;
    this.publish = publish;
  }

  /** Completes with the stamped message once it is stored and published. */
  Future<StreamBroadcast> submit(StreamBroadcast message) {
    return submit(message, null);
  }

  /** As {@link #submit(StreamBroadcast)}, the message named by {@code tag} across retries ({@link Broker#append(List, List)}). */
  Future<StreamBroadcast> submit(StreamBroadcast message, String tag) {
    Promise<StreamBroadcast> done = Promise.promise();
    Integer shard = Addresses.shardOf(message.getStream());
    ArrayDeque<Pending> queue = queues.get(shard);
    if (queue != null) {
      queue.addLast(new Pending(message, tag, done));
      return done.future();
    }
    queue = new ArrayDeque<>();
    queue.addLast(new Pending(message, tag, done));
    queues.put(shard, queue);
    drain(shard, queue);
    return done.future();
  }

  private void drain(Integer shard, ArrayDeque<Pending> queue) {
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.pollFirst());
    }
    List<StreamBroadcast> messages = new ArrayList<>(batch.size());
    List<String> tags = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      messages.add(p.message());
      tags.add(p.tag());
    }
    broker.append(messages, tags).onComplete(ar -> {
      if (ar.succeeded()) {
        List<StreamBroadcast> stamped = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          publish.accept(stamped.get(i));
          batch.get(i).done().complete(stamped.get(i));
        }
      } else {
        for (Pending p : batch) {
          p.done().fail(ar.cause());
        }
      }
      if (queue.isEmpty()) {
        queues.remove(shard);
      } else {
        drain(shard, queue);
      }
    });
  }
}
