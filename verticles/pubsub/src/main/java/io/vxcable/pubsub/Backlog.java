package io.vxcable.pubsub;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Messages published while a relay is disconnected, sent in order once it is back. Bounded: past
 * {@code capacity} the oldest is dropped (and counted), so an outage cannot exhaust the heap. Also
 * the reconnect schedule: 100 ms, doubling up to 2 s, for as long as it takes (a pub/sub outage
 * must end quickly for subscribers, unlike the intake adapters' anycable-go backoff).
 */
final class Backlog {

  private final int capacity;
  private final ArrayDeque<Buffer> waiting = new ArrayDeque<>();
  private long dropped;
  private int attempt;

  Backlog(int capacity) {
    this.capacity = capacity;
  }

  void add(Buffer message) {
    if (waiting.size() == capacity) {
      waiting.pollFirst();
      dropped++;
    }
    waiting.addLast(message);
  }

  /** Hands every waiting message to {@code send}, oldest first. */
  void drain(Consumer<Buffer> send) {
    Buffer b;
    while ((b = waiting.pollFirst()) != null) {
      send.accept(b);
    }
  }

  int size() {
    return waiting.size();
  }

  /** Messages dropped because the backlog was full, since the start. */
  long dropped() {
    return dropped;
  }

  /** The delay before the next connection attempt. */
  long nextDelayMs() {
    attempt++;
    return Math.min(2000, 100L << Math.min(attempt - 1, 5));
  }

  /** Connected: the failed attempts before it, and the schedule starts over. */
  int connected() {
    int failed = attempt;
    attempt = 0;
    return failed;
  }
}
