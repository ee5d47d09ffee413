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
import io.vxcable.observability.WarningRate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Hands publications to the broker that owns their shard, one request per shard at a time: what
 * arrives for a shard while its request is out waits and goes in the next request, in arrival
 * order (group commit, like the broker's own sequencer). So a publication never overtakes an
 * earlier one of this intake, not even when the earlier one is being retried.
 *
 * <p>While ownership moves (a broker node joined, left or died) the shard address can have no
 * consumer, or a dead one, for a moment: a request is retried with a growing pause until
 * {@link #DEADLINE_MS} after its oldest publication arrived, so no accepted publication is
 * dropped by a rebalance. An attempt gives up after {@link #ATTEMPT_TIMEOUT_MS}: a request that
 * went to an owner which then died is never answered. Every attempt of one request carries the
 * same id, so an owner that already took it answers again without storing it twice; only a
 * request stored by an owner that then died or handed its shard over may be stored twice by the
 * next one (at-least-once; the backends' tags give the retried messages their first offsets).
 * Owned by one event loop.
 */
final class BrokerPublisher {

  private static final Logger LOG = Logger.getLogger(BrokerPublisher.class.getName());

  static final long DEADLINE_MS = 15_000;
  /** A broker answers in milliseconds; an attempt unanswered this long went to a dead owner. */
  static final long ATTEMPT_TIMEOUT_MS = 500;
  /** Most broadcasts joined in one request (one request body's broadcasts are never split). */
  static final int MAX_BATCH = 512;
  /** A request acknowledged later than this after its oldest publication arrived is reported. */
  static final long SLOW_MS = 1000;

  /** One request body's broadcasts for one shard. */
  private record Part(List<StreamBroadcast> broadcasts, long arrivedAt, Promise<Void> done) {}

  /** A shard's publications not acknowledged yet; {@code busy} while a request is out. */
  private static final class Lane {
    final ArrayDeque<Part> waiting = new ArrayDeque<>();
    boolean busy;
  }

  private final Vertx vertx;
  private final LongSupplier clock;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(ATTEMPT_TIMEOUT_MS);
  private final Map<Integer, Lane> lanes = new HashMap<>();
  private final WarningRate slow = new WarningRate();

  BrokerPublisher(Vertx vertx, LongSupplier clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Completes once every broadcast is stored (each shard's part in this call's order). */
  Future<Void> publish(List<StreamBroadcast> broadcasts) {
    Map<Integer, List<StreamBroadcast>> byShard = new LinkedHashMap<>();
    for (StreamBroadcast b : broadcasts) {
      byShard.computeIfAbsent(Addresses.shardOf(b.getStream()), k -> new ArrayList<>()).add(b);
    }
    long now = clock.getAsLong();
    List<Future<Void>> sent = new ArrayList<>(byShard.size());
    byShard.forEach((shard, list) -> {
      Promise<Void> done = Promise.promise();
      Lane lane = lanes.computeIfAbsent(shard, k -> new Lane());
      lane.waiting.addLast(new Part(list, now, done));
      if (!lane.busy) {
        sendNext(shard, lane);
      }
      sent.add(done.future());
    });
    return sent.size() == 1 ? sent.get(0) : Future.all(sent).mapEmpty();
  }

  /** Shards with publications waiting or out (a lane is dropped once it is empty). */
  int lanes() {
    return lanes.size();
  }

  private void sendNext(int shard, Lane lane) {
    if (lane.waiting.isEmpty()) {
      lane.busy = false;
      lanes.remove(shard);
      return;
    }
    lane.busy = true;
    List<Part> parts = new ArrayList<>();
    PublishBatch.Builder batch = PublishBatch.newBuilder().setId(UUID.randomUUID().toString());
    while (!lane.waiting.isEmpty() && (parts.isEmpty()
        || batch.getBroadcastsCount() + lane.waiting.peekFirst().broadcasts().size() <= MAX_BATCH)) {
      Part p = lane.waiting.pollFirst();
      parts.add(p);
      batch.addAllBroadcasts(p.broadcasts());
    }
    long oldest = parts.get(0).arrivedAt();
    int[] tries = {0};
    attempt(batch.build(), Addresses.brokerPublish(shard), oldest + DEADLINE_MS, 50, tries).onComplete(ar -> {
      long waited = clock.getAsLong() - oldest;
      if (ar.succeeded() && waited > SLOW_MS) {
        slow.warn(LOG, n -> "publications for broker shard " + shard + " were stored " + waited + " ms after they came, "
            + WarningRate.count(tries[0], "attempt") + " (" + WarningRate.count(n, "slow request")
            + "): a broker node joined, left or was busy");
      }
      for (Part p : parts) {
        if (ar.succeeded()) {
          p.done().complete();
        } else {
          p.done().fail(ar.cause());
        }
      }
      sendNext(shard, lane);
    });
  }

  private Future<Void> attempt(PublishBatch b, String address, long deadline, long pause, int[] tries) {
    tries[0]++;
    return vertx.eventBus().request(address, b, options).<Void>mapEmpty().recover(err -> {
      if (clock.getAsLong() + pause >= deadline) {
        return Future.failedFuture(err);
      }
      long next = Math.min(1000, pause * 2);
      // No pause after a timeout: the time has passed already, and the owner has likely moved.
      if (err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
        return attempt(b, address, deadline, next, tries);
      }
      return vertx.timer(pause).compose(v -> attempt(b, address, deadline, next, tries));
    });
  }
}
