package io.vxcable.broker;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The single-node broker, as anycable-go's memory broker: a random 4-character epoch per start,
 * per-stream offsets from 1, a bounded and time-limited history, and session snapshots with a TTL.
 * Not thread-safe: owned by one event loop. Differences from anycable-go, on purpose: a
 * {@code history_limit} of 0 keeps no history instead of crashing, and the offset just before the
 * oldest retained one is a valid position (every later message is still there).
 */
public final class MemoryBroker implements Broker {

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

  private record Entry(long timestamp, StreamBroadcast message) {}

  private static final class Stream {
    long offset;
    long lastAppend;
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
  }

  private record Snapshot(byte[] state, long expiresAt) {}

  private final String epoch;
  private final int limit;
  private final long ttlMs;
  private final long sessionsTtlMs;
  private final LongSupplier clock;
  private final Map<String, Stream> streams = new HashMap<>();
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
  public StreamBroadcast append(StreamBroadcast message) {
    if (message.getTransient()) {
      return message;
    }
    long now = clock.getAsLong();
    Stream s = streams.computeIfAbsent(message.getStream(), k -> new Stream());
    s.offset++;
    s.lastAppend = now;
    StreamBroadcast stamped = message.toBuilder().setEpoch(epoch).setOffset(s.offset).build();
    if (limit > 0) {
      s.entries.addLast(new Entry(now, stamped));
      while (s.entries.size() > limit) {
        s.entries.removeFirst();
      }
    }
    return stamped;
  }

  @Override
  public List<StreamBroadcast> historyFrom(String stream, String requestedEpoch, long offset) throws HistoryException {
    if (!epoch.equals(requestedEpoch)) {
      throw new HistoryException("unknown epoch");
    }
    Stream s = streams.get(stream);
    if (s == null) {
      throw new HistoryException("stream not found");
    }
    dropOld(s, clock.getAsLong());
    if (offset > s.offset) {
      throw new HistoryException("offset is ahead of the stream");
    }
    if (offset == s.offset) {
      return List.of();
    }
    if (s.entries.isEmpty()) {
      throw new HistoryException("stream is empty");
    }
    long low = s.entries.peekFirst().message().getOffset();
    if (offset < low - 1) {
      throw new HistoryException("requested offset was evicted");
    }
    List<StreamBroadcast> out = new ArrayList<>();
    for (Entry e : s.entries) {
      if (e.message().getOffset() > offset) {
        out.add(e.message());
      }
    }
    return out;
  }

  @Override
  public List<StreamBroadcast> historySince(String stream, long since) {
    Stream s = streams.get(stream);
    if (s == null) {
      return List.of();
    }
    dropOld(s, clock.getAsLong());
    List<StreamBroadcast> out = new ArrayList<>();
    for (Entry e : s.entries) {
      if (e.timestamp() / 1000 >= since) {
        out.add(e.message());
      }
    }
    return out;
  }

  @Override
  public void commitSession(String sid, byte[] state) {
    if (sessionsTtlMs > 0) {
      sessions.put(sid, new Snapshot(state, clock.getAsLong() + sessionsTtlMs));
    }
  }

  @Override
  public byte[] restoreSession(String sid) {
    Snapshot s = sessions.get(sid);
    if (s == null || s.expiresAt() <= clock.getAsLong()) {
      return null;
    }
    return s.state();
  }

  @Override
  public void expire() {
    long now = clock.getAsLong();
    for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
      Stream s = it.next();
      dropOld(s, now);
      if (now - s.lastAppend > 10 * ttlMs) {
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

  private void dropOld(Stream s, long now) {
    while (!s.entries.isEmpty() && s.entries.peekFirst().timestamp() < now - ttlMs) {
      s.entries.removeFirst();
    }
  }

  private static String randomEpoch() {
    SecureRandom r = new SecureRandom();
    char[] out = new char[4];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
