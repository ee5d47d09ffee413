package io.vxcable.observability;

import java.time.Instant;

/** The wall clock in microseconds, for latencies measured across processes (broadcast freshness). */
public final class WallClock {

  private WallClock() {}

  /** Microseconds since the Unix epoch (the platform's best resolution, often microseconds). */
  public static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Nanoseconds from {@code sinceMicros} (a {@link #micros()} value) to now; never negative. */
  public static long nanosSince(long sinceMicros) {
    return Math.max(0, (micros() - sinceMicros) * 1_000L);
  }
}
