package io.vxcable.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One stream's positions and retained messages: the rules every backend shares. {@code T} is how a
 * backend keeps a message (an object in memory, bytes in a cluster map). Not thread-safe.
 *
 * @param <T> stored message form
 */
final class StreamLog<T> {

  /** A retained message: when it was appended, its offset, and the message. */
  record Entry<T>(long timestamp, long offset, T message) {}

  private long offset;
  private long lastAppend;
  private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();

  /** The last offset given out (0 before the first append). */
  long offset() {
    return offset;
  }

  long lastAppend() {
    return lastAppend;
  }

  Iterable<Entry<T>> entries() {
    return entries;
  }

  int size() {
    return entries.size();
  }

  /** Restores a log read back from storage. */
  void restore(long offset, long lastAppend, List<Entry<T>> retained) {
    this.offset = offset;
    this.lastAppend = lastAppend;
    entries.clear();
    entries.addAll(retained);
  }

  /** Gives the message the next offset and keeps at most {@code limit} messages (0: none). */
  long append(long now, T message, int limit) {
    offset++;
    lastAppend = now;
    if (limit > 0) {
      entries.addLast(new Entry<>(now, offset, message));
      while (entries.size() > limit) {
        entries.removeFirst();
      }
    }
    return offset;
  }

  /** Whether the stream went unused long enough for its counter to start over. */
  boolean idleFor(long now, long lifetimeMs) {
    return now - lastAppend > lifetimeMs;
  }

  /** Drops messages older than {@code ttlMs}. */
  void dropOlderThan(long now, long ttlMs) {
    while (!entries.isEmpty() && entries.peekFirst().timestamp() < now - ttlMs) {
      entries.removeFirst();
    }
  }

  /**
   * Messages after {@code position}, all or nothing, ignoring messages appended before
   * {@code notBefore} (expired but not dropped yet). The position just before the oldest retained
   * message is valid (every later message is still here). Does not change the log.
   */
  List<Entry<T>> after(long position, long notBefore) throws Broker.HistoryException {
    if (position > offset) {
      throw new Broker.HistoryException("offset is ahead of the stream");
    }
    if (position == offset) {
      return List.of();
    }
    List<Entry<T>> out = new ArrayList<>();
    for (Iterator<Entry<T>> it = entries.descendingIterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      if (e.offset() <= position || e.timestamp() < notBefore) {
        break;
      }
      out.add(e);
    }
    if (out.isEmpty()) {
      throw new Broker.HistoryException("stream is empty");
    }
    Collections.reverse(out);
    if (position < out.get(0).offset() - 1) {
      throw new Broker.HistoryException("requested offset was evicted");
    }
    return out;
  }

  /** Messages appended at or after {@code since} (unix seconds) and not before {@code notBefore}. */
  List<Entry<T>> since(long since, long notBefore) {
    List<Entry<T>> out = new ArrayList<>();
    for (Entry<T> e : entries) {
      if (e.timestamp() / 1000 >= since && e.timestamp() >= notBefore) {
        out.add(e);
      }
    }
    return out;
  }
}
