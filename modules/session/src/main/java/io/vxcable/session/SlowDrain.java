package io.vxcable.session;

import io.vertx.core.Vertx;
import io.vxcable.protocol.DisconnectReason;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * anycable-go Pro's slow drain: a shutdown disconnects its sessions one after another over a drain
 * period instead of all at once, so they come back to the other nodes as a trickle, not a herd.
 * The period is the shutdown timeout less a reserve for the last RPC calls ({@link #period}); the
 * pause between two disconnects is the period shared out over the sessions, at most 500 ms, so a
 * few sessions do not wait long. Runs on the engine's event loop.
 */
final class SlowDrain {

  private static final Logger LOG = Logger.getLogger(SlowDrain.class.getName());

  /** The longest pause between two disconnects. */
  static final long MAX_INTERVAL_MS = 500;
  /** Below this pause, several sessions go per timer tick instead of one per tick. */
  static final long MIN_TICK_MS = 10;

  private final Vertx vertx;
  private final ArrayDeque<Session> queue;
  private final Consumer<Session> disconnect;
  private final long tickMs;
  private final double perTick;
  private double owed;
  private long timer = -1;

  private SlowDrain(Vertx vertx, Collection<Session> sessions, long periodMs, Consumer<Session> disconnect) {
    this.vertx = vertx;
    this.queue = new ArrayDeque<>(sessions);
    this.disconnect = disconnect;
    double interval = Math.min(MAX_INTERVAL_MS, (double) periodMs / Math.max(1, queue.size()));
    this.tickMs = Math.max(MIN_TICK_MS, (long) interval);
    this.perTick = tickMs / Math.max(interval, 0.001);
  }

  /**
   * The drain period for a shutdown timeout: the timeout less a reserve of a fifth of it, at most
   * 5 s, for the RPC calls of the last sessions (anycable-go keeps "slightly less" than the timeout).
   */
  static long period(long shutdownTimeoutMs) {
    return shutdownTimeoutMs - Math.min(5_000, shutdownTimeoutMs / 5);
  }

  /**
   * Tells every one of {@code sessions} the server restarts and closes it: all at once, or one
   * after another over {@code periodMs} when it is positive and there are several; returns the
   * drain under way, or null when all went at once.
   */
  static SlowDrain sayGoodbye(Vertx vertx, List<Session> sessions, long periodMs) {
    if (periodMs > 0 && vertx != null && sessions.size() > 1) {
      LOG.info(String.format(Locale.ROOT, "Draining %d active connections slowly for %.1fs", sessions.size(),
          seconds(sessions.size(), periodMs)));
      return start(vertx, sessions, periodMs, SlowDrain::goodbye);
    }
    sessions.forEach(SlowDrain::goodbye);
    return null;
  }

  private static void goodbye(Session s) {
    s.disconnect(DisconnectReason.SERVER_RESTART, true, 1001, "Server restart");
  }

  /** Starts disconnecting {@code sessions} over {@code periodMs}; the first one goes at once. */
  static SlowDrain start(Vertx vertx, Collection<Session> sessions, long periodMs, Consumer<Session> disconnect) {
    SlowDrain d = new SlowDrain(vertx, sessions, periodMs, disconnect);
    d.owed = 1;
    d.step();
    if (!d.queue.isEmpty()) {
      d.timer = vertx.setPeriodic(d.tickMs, id -> d.step());
    }
    return d;
  }

  /** How long the drain takes, from its first disconnect to its last (logs). */
  static double seconds(int sessions, long periodMs) {
    double interval = Math.min(MAX_INTERVAL_MS, (double) periodMs / Math.max(1, sessions));
    return Math.max(0, sessions - 1) * interval / 1000.0;
  }

  private void step() {
    if (timer >= 0) {
      owed += perTick;
    }
    while (owed >= 1 && !queue.isEmpty()) {
      owed -= 1;
      Session s = queue.poll();
      if (!s.closed()) {
        disconnect.accept(s);
      }
    }
    if (queue.isEmpty()) {
      stop();
    }
  }

  /** Disconnects every session left at once (the period is over, or a second signal). */
  void finish() {
    while (!queue.isEmpty()) {
      Session s = queue.poll();
      if (!s.closed()) {
        disconnect.accept(s);
      }
    }
    stop();
  }

  private void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
