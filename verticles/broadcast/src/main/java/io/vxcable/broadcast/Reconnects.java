package io.vxcable.broadcast;

import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The reconnect schedule of the broadcast adapters: anycable-go's delays (250 ms, then 2–4 s, 4–8 s,
 * 8–16 s, 16–32 s), with the last one repeated for as long as it takes instead of giving up after
 * five attempts. One retry is pending at a time; each is logged with the adapter and its target.
 */
final class Reconnects {

  private static final Logger LOG = Logger.getLogger(Reconnects.class.getName());

  private final Vertx vertx;
  private final String adapter;
  private int attempt;
  private long timer = -1;

  Reconnects(Vertx vertx, String adapter) {
    this.vertx = vertx;
    this.adapter = adapter;
  }

  /** Schedules {@code connect} after the next delay, unless a retry is already pending. */
  void retry(String target, String why, Runnable connect) {
    if (timer >= 0) {
      return;
    }
    attempt++;
    long delay = delayMs(attempt);
    int n = attempt;
    LOG.warning(() -> adapter + " broadcast adapter: " + target + " unavailable (" + why + "); retry " + n + " in " + delay + " ms");
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      connect.run();
    });
  }

  /** A connection succeeded: the failed attempts before it (0 the first time), then the count restarts. */
  int connected() {
    int failed = attempt;
    attempt = 0;
    return failed;
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The delay before attempt {@code n} (1-based). */
  static long delayMs(int n) {
    if (n <= 1) {
      return 250;
    }
    long base = 1000L << Math.min(n - 1, 4);
    return base + ThreadLocalRandom.current().nextLong(base);
  }
}
