package io.vxcable.broker;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The single-node broker, as anycable-go's memory broker: a random 4-character epoch per start,
 * per-stream offsets from 1, a bounded and time-limited history, and session snapshots with a TTL.
 * Not thread-safe: owned by one event loop; every future it returns is already complete.
 * Differences from anycable-go, on purpose: a {@code history_limit} of 0 keeps no history instead
 * of crashing, and the offset just before the oldest retained one is a valid position.
 */
public final class MemoryBroker implements Broker {

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

  private record Snapshot(byte[] state, long expiresAt) {}

  private final String epoch;
  private final int limit;
  private final long ttlMs;
  private final long sessionsTtlMs;
  private final LongSupplier clock;
  private final Map<String, StreamLog<StreamBroadcast>> streams = new HashMap<>();
  private final Map<String, Snapshot> sessions = new HashMap<>();

  /**
   * @param historyLimit messages kept per stream (0 = none)
   * @param historyTtlSeconds seconds a message is kept
   * @param sessionsTtlSeconds seconds a session snapshot is kept (0 = no snapshots)
   * @param clock wall clock in milliseconds
   */
  public MemoryBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds, LongSupplier clock) {
    this.epoch = randomEpoch();
    this.limit = Math.max(0, historyLimit);
    this.ttlMs = historyTtlSeconds * 1000L;
    this.sessionsTtlMs = sessionsTtlSeconds * 1000L;
    this.clock = clock;
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages) {
    List<StreamBroadcast> out = new ArrayList<>(messages.size());
    long now = clock.getAsLong();
    for (StreamBroadcast message : messages) {
      if (message.getTransient()) {
        out.add(message);
        continue;
      }
      StreamLog<StreamBroadcast> log = streams.get(message.getStream());
      if (log == null || log.offset() > 0 && log.idleFor(now, 10 * ttlMs)) {
        log = new StreamLog<>();
        streams.put(message.getStream(), log);
      }
      // The offset is known before the append: stamp first, keep the stamped message.
      StreamBroadcast stamped = message.toBuilder().setEpoch(epoch).setOffset(log.offset() + 1).build();
      log.append(now, stamped, limit);
      out.add(stamped);
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<List<StreamBroadcast>> historyFrom(String stream, String requestedEpoch, long offset) {
    if (!epoch.equals(requestedEpoch)) {
      return Future.failedFuture(new HistoryException("unknown epoch"));
    }
    StreamLog<StreamBroadcast> log = streams.get(stream);
    if (log == null) {
      return Future.failedFuture(new HistoryException("stream not found"));
    }
    log.dropOlderThan(clock.getAsLong(), ttlMs);
    try {
      return Future.succeededFuture(messages(log.after(offset, Long.MIN_VALUE)));
    } catch (HistoryException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<List<StreamBroadcast>> historySince(String stream, long since) {
    StreamLog<StreamBroadcast> log = streams.get(stream);
    if (log == null) {
      return Future.succeededFuture(List.of());
    }
    log.dropOlderThan(clock.getAsLong(), ttlMs);
    return Future.succeededFuture(messages(log.since(since, Long.MIN_VALUE)));
  }

  @Override
  public Future<Long> position(String stream) {
    StreamLog<StreamBroadcast> log = streams.get(stream);
    if (log == null || log.idleFor(clock.getAsLong(), 10 * ttlMs)) {
      return Future.succeededFuture(0L);
    }
    return Future.succeededFuture(log.offset());
  }

  @Override
  public Future<Void> commitSession(String sid, byte[] state) {
    if (sessionsTtlMs > 0) {
      sessions.put(sid, new Snapshot(state, clock.getAsLong() + sessionsTtlMs));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<byte[]> restoreSession(String sid) {
    Snapshot s = sessions.get(sid);
    if (s == null || s.expiresAt() <= clock.getAsLong()) {
      return Future.succeededFuture();
    }
    return Future.succeededFuture(s.state());
  }

  @Override
  public void expire() {
    long now = clock.getAsLong();
    for (Iterator<StreamLog<StreamBroadcast>> it = streams.values().iterator(); it.hasNext(); ) {
      StreamLog<StreamBroadcast> log = it.next();
      log.dropOlderThan(now, ttlMs);
      if (log.idleFor(now, 10 * ttlMs)) {
        it.remove();
      }
    }
    sessions.values().removeIf(s -> s.expiresAt() <= now);
  }

  int streamCount() {
    return streams.size();
  }

  int sessionCount() {
    return sessions.size();
  }

  private static List<StreamBroadcast> messages(List<StreamLog.Entry<StreamBroadcast>> entries) {
    List<StreamBroadcast> out = new ArrayList<>(entries.size());
    for (StreamLog.Entry<StreamBroadcast> e : entries) {
      out.add(e.message());
    }
    return out;
  }

  static String randomEpoch() {
    SecureRandom r = new SecureRandom();
    char[] out = new char[4];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
