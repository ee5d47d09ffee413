package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.contracts.rpc.DisconnectRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Disconnect calls, rate-limited as anycable-go does: at most {@code disconnect_rate} per second
 * from a queue of {@code disconnect_backlog_size}. A full queue drops the oldest-to-be-sent last
 * entry (the event loop cannot block like anycable-go's channel), with a warning at most every
 * {@value #WARN_EVERY_MS} ms counting the drops (a reconnect storm drops thousands at once). On
 * shutdown the backlog is flushed without throttling.
 */
final class DisconnectQueue {

  private static final Logger LOG = Logger.getLogger(DisconnectQueue.class.getName());
  static final long WARN_EVERY_MS = 10_000;

  record Item(String sid, DisconnectRequest request) {}

  private final Vertx vertx;
  private final int capacity;
  private final long intervalMs;
  private final BiFunction<String, DisconnectRequest, Future<?>> call;
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long timer = -1;
  private boolean closed;
  long dropped;
  private long warnedAt;
  private long droppedAtWarning;

  DisconnectQueue(Vertx vertx, int rate, int capacity, BiFunction<String, DisconnectRequest, Future<?>> call) {
    this.vertx = vertx;
    this.capacity = Math.max(1, capacity);
    this.intervalMs = Math.max(1, 1000 / Math.max(1, rate));
    this.call = call;
  }

  void enqueue(String sid, DisconnectRequest request) {
    if (closed) {
      call.apply(sid, request);
      return;
    }
    if (queue.size() >= capacity) {
      dropped++;
      warnDropped(sid);
      return;
    }
    queue.add(new Item(sid, request));
    if (timer < 0) {
      timer = vertx.setPeriodic(0, intervalMs, id -> sendOne());
    }
  }

  private void warnDropped(String sid) {
    long now = System.nanoTime();
    if (droppedAtWarning > 0 && now - warnedAt < WARN_EVERY_MS * 1_000_000) {
      return;
    }
    long since = dropped - droppedAtWarning;
    warnedAt = now;
    droppedAtWarning = dropped;
    LOG.warning(() -> "disconnect backlog full (" + capacity + "): dropping Disconnect calls (" + since
        + " since the last warning, " + dropped + " in all; latest for " + sid + ")");
  }

  int size() {
    return queue.size();
  }

  private void sendOne() {
    Item item = queue.poll();
    if (item == null) {
      vertx.cancelTimer(timer);
      timer = -1;
      return;
    }
    call.apply(item.sid(), item.request());
  }

  /** Stops throttling and sends everything left; completes when every call has answered. */
  Future<Void> flush() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Future<?>> all = new ArrayList<>();
    Item item;
    while ((item = queue.poll()) != null) {
      all.add(call.apply(item.sid(), item.request()));
    }
    return Future.join(all).mapEmpty();
  }
}
