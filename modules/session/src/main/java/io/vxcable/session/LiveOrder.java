package io.vxcable.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Live broadcasts of stamped streams (a broker's epoch and offsets) handed to the hub without a
 * hole, in offset order, each once. A broker stores a publication before it sends it to the
 * gateways, so a live copy can be lost on the way (its node killed right after storing and
 * answering the intake) or overtaken (two nodes publishing a stream around a change of shard
 * owner). An offset past the next one expected is held, and the missing ones are read from the
 * broker's history; what the history gives is sent first, then what was held. When the history
 * cannot fill the hole (trimmed, failed, or not there yet, also when read again {@link #RETRY_MS}
 * later), what was held goes out anyway, and a copy of the hole that comes later still goes out,
 * out of order, as it would have without this. A live copy at or below the last offset sent within
 * {@link #REPEAT_WINDOW_MS} was sent already; later, the stream started over (a broker restarts the
 * offsets of a stream idle for ten times its history TTL, at least 10 s) and is followed from there.
 *
 * <p>Unstamped broadcasts (no broker, transient messages) pass as they come. Owned by one event
 * loop, the engine's.
 */
final class LiveOrder {

  /** Reads a stream's history after a position: the messages with higher offsets, in order. */
  interface History {
    Future<List<StreamBroadcast>> after(String stream, String epoch, long offset);
  }

  /** Runs a task later on the owner's event loop (a Vert.x timer). */
  interface Later {
    void run(long ms, Runnable task);
  }

  /** How long after a hole's read came back without it the hole is read once more. */
  static final long RETRY_MS = 250;
  /** How long after the last broadcast sent an offset at or below it counts as a repeat. */
  static final long REPEAT_WINDOW_MS = 5_000;
  /** Most offsets given up on remembered per stream, so that their late copies still go out. */
  static final int MAX_SKIPPED = 256;
  /** Most broadcasts held for one stream while its hole is read; past it they go out at once. */
  static final int MAX_HELD = 10_000;
  /** History reads in flight at once during a {@link #resync}. */
  static final int RESYNC_READS = 16;
  private static final Logger LOG = Logger.getLogger(LiveOrder.class.getName());

  private static final class Track {
    final String epoch;
    /** The offset this track started at: nothing before it was sent here. */
    final long first;
    long last;
    long lastAt;
    boolean reading;
    final TreeMap<Long, StreamBroadcast> held = new TreeMap<>();
    /** Offsets given up on ({@link #giveUp}), the latest {@link #MAX_SKIPPED}: a late copy still goes out. */
    TreeSet<Long> skipped;
    /** Offsets below {@link #first} sent since, the latest {@link #MAX_SKIPPED}. */
    TreeSet<Long> early;

    Track(String epoch, long last) {
      this.epoch = epoch;
      this.first = last;
      this.last = last;
    }

    /**
     * Whether {@code offset}, below the one this track started at, is seen for the first time: it
     * was published before that one and overtaken on its way here (publishers posting to several
     * nodes), so this node never sent it.
     */
    boolean earlyOnce(long offset) {
      if (offset >= first) {
        return false;
      }
      if (early == null) {
        early = new TreeSet<>();
      }
      if (!early.add(offset)) {
        return false;
      }
      if (early.size() > MAX_SKIPPED) {
        early.pollFirst();
      }
      return true;
    }
  }

  private final Predicate<StreamBroadcast> deliver;
  private final History history;
  private final LongSupplier clock;
  private final Later later;
  private final Map<String, Track> tracks = new HashMap<>();
  /** Counts, monotonic (read by the metrics): broadcasts sent from history, offsets given up on, of those the ones that came late, repeats dropped. */
  long filled;
  long gaveUp;
  long late;
  /** Broadcasts older than the first one seen of their stream, sent when they came (out of order). */
  long overtaken;
  long repeats;

  /**
   * @param deliver sends a broadcast to the local subscribers; false when the stream has none
   * @param clock milliseconds
   */
  LiveOrder(Predicate<StreamBroadcast> deliver, History history, LongSupplier clock, Later later) {
    this.deliver = deliver;
    this.later = later;
    this.history = history;
    this.clock = clock;
  }

  void accept(StreamBroadcast m) {
    String stream = m.getStream();
    long offset = m.getOffset();
    if (m.getEpoch().isEmpty() || offset <= 0) {
      deliver.test(m);
      return;
    }
    Track t = tracks.get(stream);
    if (t != null && offset <= t.last && clock.getAsLong() - t.lastAt >= REPEAT_WINDOW_MS) {
      // Not a repeat: the stream started over.
      if (!t.held.isEmpty()) {
        giveUp(t);
      }
      tracks.remove(stream, t);
      t = null;
    }
    if (t == null || !t.epoch.equals(m.getEpoch())) {
      // The first stamped broadcast seen here (or a new epoch: the broker's history restarted).
      if (deliver.test(m)) {
        Track started = new Track(m.getEpoch(), offset);
        started.lastAt = clock.getAsLong();
        tracks.put(stream, started);
      } else {
        tracks.remove(stream);
      }
      return;
    }
    if (offset <= t.last || t.held.containsKey(offset)) {
      if (t.skipped != null && t.skipped.remove(offset)) {
        // Given up on, then late after all: out of order rather than never.
        late++;
        deliver.test(m);
        return;
      }
      if (t.earlyOnce(offset)) {
        // Published before the first one this node saw of the stream, and overtaken by it: out of
        // order rather than never (dropped as a repeat, it was lost to every subscriber here).
        overtaken++;
        deliver.test(m);
        return;
      }
      repeats++;
      return;
    }
    if (offset == t.last + 1 && t.held.isEmpty()) {
      send(t, m);
      return;
    }
    t.held.put(offset, m);
    sendHeldInOrder(t);
    if (t.held.size() > MAX_HELD) {
      giveUp(t);
    } else if (!t.held.isEmpty() && !t.reading) {
      read(stream, t);
    }
  }

  /** Forgets the streams that no longer have a local subscriber (a later one starts from what comes). */
  void retain(Predicate<String> subscribed) {
    tracks.keySet().removeIf(stream -> !subscribed.test(stream));
  }

  /**
   * Reads from the broker's history what came after the last offset sent of the streams followed
   * here that {@code which} names, and sends it: a live copy lost at the end of a stream's traffic
   * shows no hole until the stream's next message, so the node's pub/sub reconnection or a broker
   * node's death asks for this. At most {@link #RESYNC_READS} reads at a time; a stream already being read is skipped.
   */
  void resync(Predicate<String> which) {
    ArrayDeque<String> streams = new ArrayDeque<>();
    for (String stream : tracks.keySet()) {
      if (which.test(stream)) {
        streams.add(stream);
      }
    }
    readInTurn(streams);
  }

  /**
   * Reads the streams this engine follows that are behind a broker's last offset of them (a
   * stream's epoch and last stored offset, which the broker names once the stream has been quiet
   * for a moment): a last live copy lost on the bus between nodes that stay up. A stream at its
   * head, of another epoch, being read or holding a hole is left alone.
   */
  void catchUp(Map<String, Map.Entry<String, Long>> heads) {
    ArrayDeque<String> behind = new ArrayDeque<>();
    heads.forEach((stream, head) -> {
      Track t = tracks.get(stream);
      if (t != null && !t.reading && t.held.isEmpty() && t.epoch.equals(head.getKey()) && t.last < head.getValue()) {
        behind.add(stream);
      }
    });
    readInTurn(behind);
  }

  /** Reads {@code streams}' history after their last offsets, {@link #RESYNC_READS} at a time. */
  private void readInTurn(ArrayDeque<String> streams) {
    for (int i = 0; i < RESYNC_READS && !streams.isEmpty(); i++) {
      resyncNext(streams);
    }
  }

  private void resyncNext(ArrayDeque<String> streams) {
    while (!streams.isEmpty()) {
      String stream = streams.poll();
      Track t = tracks.get(stream);
      if (t != null && !t.reading) {
        read(stream, t).onComplete(v -> resyncNext(streams));
        return;
      }
    }
  }

  /** Offsets given up on that have not come since. */
  long lost() {
    return gaveUp - late;
  }

  /** Streams with a position here (tests, metrics). */
  int tracked() {
    return tracks.size();
  }

  private Future<Void> read(String stream, Track t) {
    return read(stream, t, false);
  }

  /**
   * Reads the hole after the last offset sent; completes once what came is handled. A hole the
   * history cannot fill yet (an append of another publisher not readable yet, a broker coming back)
   * is read once more {@link #RETRY_MS} later, its late live copy welcome meanwhile; then given up.
   */
  private Future<Void> read(String stream, Track t, boolean again) {
    t.reading = true;
    long from = t.last;
    // A resync's read starts without a hole: one that opened meanwhile gets a read of its own.
    boolean hole = !t.held.isEmpty();
    return history.after(stream, t.epoch, from).transform(ar -> {
      t.reading = false;
      if (tracks.get(stream) != t) {
        return Future.succeededFuture();
      }
      long filledBefore = filled;
      if (ar.succeeded()) {
        for (StreamBroadcast m : ar.result()) {
          if (tracks.get(stream) != t) {
            return Future.succeededFuture();
          }
          if (m.getOffset() == t.last + 1 && m.getEpoch().equals(t.epoch)) {
            if (t.held.remove(m.getOffset()) == null) {
              filled++;
            }
            send(t, m);
          } else if (m.getOffset() > t.last + 1) {
            break;
          }
        }
      } else {
        LOG.fine(() -> "history of " + stream + " after " + from + " unavailable: " + ar.cause());
      }
      long count = filled - filledBefore;
      if (count > 0) {
        // Routine where publishers post to several nodes (a later offset overtakes an earlier one
        // on its way here): counted in broadcast_live_filled_total, logged at debug level only.
        LOG.fine(() -> stream + ": " + count + " live broadcast(s) after offset " + from + " did not arrive, sent from the broker's history");
      }
      sendHeldInOrder(t);
      if (!t.held.isEmpty()) {
        if (!hole) {
          return read(stream, t);
        }
        if (!again) {
          Promise<Void> retried = Promise.promise();
          t.reading = true;
          later.run(RETRY_MS, () -> {
            t.reading = false;
            boolean open = tracks.get(stream) == t && !t.held.isEmpty();
            (open ? read(stream, t, true) : Future.<Void>succeededFuture()).onComplete(retried);
          });
          return retried.future();
        }
        giveUp(t);
      }
      return Future.succeededFuture();
    });
  }

  /** Sends what was held that follows the last offset sent, in order. */
  private void sendHeldInOrder(Track t) {
    while (!t.held.isEmpty() && t.held.firstKey() == t.last + 1) {
      send(t, t.held.pollFirstEntry().getValue());
    }
  }

  /** The hole cannot be filled: what was held goes out in order, past the hole. */
  private void giveUp(Track t) {
    long before = gaveUp;
    String stream = t.held.firstEntry().getValue().getStream();
    while (!t.held.isEmpty()) {
      Map.Entry<Long, StreamBroadcast> next = t.held.pollFirstEntry();
      gaveUp += next.getKey() - t.last - 1;
      if (t.skipped == null) {
        t.skipped = new TreeSet<>();
      }
      for (long o = Math.max(t.last + 1, next.getKey() - MAX_SKIPPED); o < next.getKey(); o++) {
        t.skipped.add(o);
      }
      while (t.skipped.size() > MAX_SKIPPED) {
        t.skipped.pollFirst();
      }
      send(t, next.getValue());
    }
    long count = gaveUp - before;
    LOG.warning(() -> stream + ": " + count + " live broadcast(s) missing and not in the broker's history (yet): sent what followed");
  }

  private void send(Track t, StreamBroadcast m) {
    t.last = m.getOffset();
    t.lastAt = clock.getAsLong();
    if (!deliver.test(m)) {
      // No local subscriber left: forget the stream (a later subscriber starts from what comes).
      t.held.clear();
      tracks.remove(m.getStream(), t);
    }
  }
}
