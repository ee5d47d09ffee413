package io.vxcable.broker;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.PublishBatchAck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The batches a shard owner took lately, by the id their sender gave: a retried batch (its first
 * attempt timed out at the sender, or its answer was lost) gets the first attempt's outcome instead
 * of being stored twice. Bounded in count and age; owned by one event loop.
 */
final class RecentBatches {

  private record Entry(Future<PublishBatchAck> outcome, long at) {}

  private final int maxEntries;
  private final long maxAgeMs;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  RecentBatches(int maxEntries, long maxAgeMs, LongSupplier clock) {
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
    this.clock = clock;
  }

  /**
   * The outcome of the batch {@code id}: the one already known (stored or being stored), or the one
   * {@code store} starts now. An empty id is never remembered.
   */
  Future<PublishBatchAck> once(String id, Supplier<Future<PublishBatchAck>> store) {
    if (id == null || id.isEmpty()) {
      return store.get();
    }
    long now = clock.getAsLong();
    expire(now);
    Entry known = entries.get(id);
    if (known != null) {
      return known.outcome();
    }
    Future<PublishBatchAck> outcome = store.get();
    entries.put(id, new Entry(outcome, now));
    // A failed batch may be retried for real: forget it once it failed.
    outcome.onFailure(err -> entries.remove(id));
    return outcome;
  }

  int size() {
    return entries.size();
  }

  private void expire(long now) {
    var it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (entries.size() > maxEntries || now - e.getValue().at() > maxAgeMs) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
