package io.vxcable.broadcast;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Hands a publication to the broker that owns its shard. While ownership moves (a broker node
 * joined, left or died) the shard address can have no consumer, or a dead one, for a moment: the
 * request is retried with a growing pause until {@link #DEADLINE_MS} has passed, so no accepted
 * publication is dropped by a rebalance. An attempt gives up after {@link #ATTEMPT_TIMEOUT_MS}: a
 * request that went to an owner which then died is never answered, and waiting longer would stall
 * the publisher. Every attempt of one batch carries the same id, so an owner that already took it
 * answers again without storing it twice; only a batch stored by an owner that then died or handed
 * its shard over may be stored twice by the next one (at-least-once).
 */
final class BrokerPublisher {

  static final long DEADLINE_MS = 15_000;
  /** A broker answers in milliseconds; an attempt unanswered this long went to a dead owner. */
  static final long ATTEMPT_TIMEOUT_MS = 500;

  private final Vertx vertx;
  private final LongSupplier clock;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(ATTEMPT_TIMEOUT_MS);

  BrokerPublisher(Vertx vertx, LongSupplier clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** One request per shard, each with that shard's publications in their order. */
  Future<Void> publish(List<StreamBroadcast> broadcasts) {
    Map<Integer, PublishBatch.Builder> byShard = new LinkedHashMap<>();
    for (StreamBroadcast b : broadcasts) {
      byShard.computeIfAbsent(Addresses.shardOf(b.getStream()), k -> PublishBatch.newBuilder()).addBroadcasts(b);
    }
    long deadline = clock.getAsLong() + DEADLINE_MS;
    List<Future<Void>> sent = new ArrayList<>(byShard.size());
    byShard.forEach((shard, batch) -> {
      Promise<Void> done = Promise.promise();
      attempt(batch.setId(UUID.randomUUID().toString()).build(), Addresses.brokerPublish(shard), deadline, 50, done);
      sent.add(done.future());
    });
    return sent.size() == 1 ? sent.get(0) : Future.all(sent).mapEmpty();
  }

  private void attempt(PublishBatch b, String address, long deadline, long pause, Promise<Void> done) {
    vertx.eventBus().request(address, b, options).onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete();
      } else if (clock.getAsLong() + pause >= deadline) {
        done.fail(ar.cause());
      } else {
        // No pause after a timeout: the time has passed already, and the owner has likely moved.
        boolean timedOut = ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
        long next = Math.min(1000, pause * 2);
        if (timedOut) {
          attempt(b, address, deadline, next, done);
        } else {
          vertx.setTimer(pause, id -> attempt(b, address, deadline, next, done));
        }
      }
    });
  }
}
