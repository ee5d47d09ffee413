package io.vxcable.session.poll;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;

/**
 * The polls waiting for messages on one event loop, in deadline order, under one Netty timer for
 * the earliest: a waiting poll costs two links and a deadline in its session, not a scheduled task
 * of its own. Every poll of a process waits {@code --poll_interval}, so a new deadline is almost
 * always the latest and is appended. Used on its event loop only.
 */
final class PollWaits {

  /** A waiting session: in at most one list at a time. */
  abstract static class Node {
    private Node prev;
    private Node next;
    private long due;
    private PollWaits in;

    /** The deadline passed; the node is out of the list. Called on the event loop. */
    abstract void expired();
  }

  private static final long ORIGIN = System.nanoTime();

  private final EventLoop loop;
  private Node head;
  private Node tail;
  private ScheduledFuture<?> timer;
  private long timerAt;

  PollWaits(EventLoop loop) {
    this.loop = loop;
  }

  /** Adds {@code n} (moved when it already waits) to expire {@code delayMs} from now. */
  void add(Node n, long delayMs) {
    remove(n);
    n.due = now() + delayMs;
    n.in = this;
    Node after = tail;
    while (after != null && after.due > n.due) {
      after = after.prev;
    }
    n.prev = after;
    n.next = after == null ? head : after.next;
    if (n.next != null) {
      n.next.prev = n;
    } else {
      tail = n;
    }
    if (after != null) {
      after.next = n;
    } else {
      head = n;
    }
    if (timer == null || timerAt > head.due) {
      arm();
    }
  }

  /** Takes {@code n} out, when it waits here. */
  void remove(Node n) {
    if (n.in != this) {
      return;
    }
    if (n.prev != null) {
      n.prev.next = n.next;
    } else {
      head = n.next;
    }
    if (n.next != null) {
      n.next.prev = n.prev;
    } else {
      tail = n.prev;
    }
    n.prev = null;
    n.next = null;
    n.in = null;
  }

  /** Whether {@code n} waits here. */
  boolean waiting(Node n) {
    return n.in == this;
  }

  private void arm() {
    if (timer != null) {
      timer.cancel(false);
    }
    timerAt = head.due;
    timer = loop.schedule(this::fire, Math.max(0, timerAt - now()), TimeUnit.MILLISECONDS);
  }

  private void fire() {
    timer = null;
    long now = now();
    while (head != null && head.due <= now) {
      Node n = head;
      remove(n);
      n.expired();
    }
    if (head != null && timer == null) {
      arm();
    }
  }

  /**
   * Runs {@code task} on {@code context} after {@code ms}, with a Netty timer of the context's event
   * loop (a Vert.x timer also keeps a handler and a map entry while it is armed).
   */
  static ScheduledFuture<?> later(Context context, long ms, Runnable task) {
    ContextInternal ctx = (ContextInternal) context;
    return ctx.nettyEventLoop().schedule(() -> ctx.emit(v -> task.run()), ms, TimeUnit.MILLISECONDS);
  }

  static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private static long now() {
    return (System.nanoTime() - ORIGIN) / 1_000_000;
  }
}
