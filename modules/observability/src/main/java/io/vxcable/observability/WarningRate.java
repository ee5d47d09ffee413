package io.vxcable.observability;

import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * How often one kind of warning reaches the log: the first occurrence at once, then at most one
 * line every {@link #EVERY_MS}, carrying how many occurred since the last line. An outage that fails
 * thousands of requests a second gives one readable line every ten seconds, not a flood.
 */
public final class WarningRate {

  public static final long EVERY_MS = 10_000;

  private final LongSupplier clockMs;
  private long lastAt = Long.MIN_VALUE;
  private int since;

  public WarningRate(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  public WarningRate() {
    this(System::currentTimeMillis);
  }

  /** Counts one occurrence; how many to report now (this one included), or 0 when a line went out recently. */
  public synchronized int occurred() {
    since++;
    long now = clockMs.getAsLong();
    if (lastAt != Long.MIN_VALUE && now - lastAt < EVERY_MS) {
      return 0;
    }
    int n = since;
    since = 0;
    lastAt = now;
    return n;
  }

  /** Counts one occurrence and, when a line is due, warns on {@code log} with {@code line} of the count. */
  public void warn(Logger log, IntFunction<String> line) {
    int n = occurred();
    if (n > 0) {
      log.warning(() -> line.apply(n));
    }
  }

  /** "1 request" or "12 requests in the last 10 s", for the line. */
  public static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
