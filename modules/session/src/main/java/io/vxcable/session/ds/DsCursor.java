package io.vxcable.session.ds;

import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * {@code Stream-Cursor} values for CDN request collapsing (Durable Streams protocol, section 8.1),
 * as anycable-go makes them: the number of 20-second intervals since 2024-10-09T00:00:00Z; when the
 * client's cursor is already at or past that interval, the client's plus 1 to 60 (random), so a
 * client never gets back a cursor it sent.
 */
final class DsCursor {

  /** 2024-10-09T00:00:00Z in milliseconds. */
  static final long EPOCH_MS = 1_728_432_000_000L;
  static final long INTERVAL_MS = 20_000;

  private final LongSupplier clockMs;
  private final IntUnaryOperator random;

  /**
   * @param clockMs wall clock in milliseconds
   * @param random {@code random.applyAsInt(n)} is uniform in {@code [0, n)}
   */
  public DsCursor(LongSupplier clockMs, IntUnaryOperator random) {
    this.clockMs = clockMs;
    this.random = random;
  }

  /** The cursor for a response to a client that sent {@code clientCursor} (empty when none). */
  public String next(String clientCursor) {
    long current = Math.floorDiv(clockMs.getAsLong() - EPOCH_MS, INTERVAL_MS);
    if (!clientCursor.isEmpty()) {
      try {
        long client = Long.parseLong(clientCursor);
        if (client >= current && client < Long.MAX_VALUE - 60) {
          current = client + 1 + random.applyAsInt(60);
        }
      } catch (NumberFormatException ignored) {
        // not a cursor of ours: the current interval
      }
    }
    return Long.toString(current);
  }
}
