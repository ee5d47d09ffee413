package io.vxcable.rpc;

import java.util.function.LongSupplier;

/**
 * Fails fast while the application is unreachable, and finds out by itself when it is back
 * (anycable-go's HTTP RPC breaker, applied to both transports): within a 10 s window, at least 10
 * calls of which 80 % failed with a transport error open the breaker for 5 s; then up to 5 trial
 * calls go through (half-open), and one failure opens it again while 5 successes close it.
 * Application answers, whatever their status, count as successes. Owned by one event loop.
 */
final class CircuitBreaker {

  enum State { CLOSED, OPEN, HALF_OPEN }

  static final long WINDOW_MS = 10_000;
  static final long OPEN_MS = 5_000;
  static final int MIN_REQUESTS = 10;
  static final double FAILURE_RATIO = 0.8;
  static final int HALF_OPEN_CALLS = 5;

  private final LongSupplier clock;
  private State state = State.CLOSED;
  private long windowStart;
  private long openedAt;
  private int requests;
  private int failures;
  private int trials;
  private int trialSuccesses;

  CircuitBreaker(LongSupplier clock) {
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  /** Whether a call may go out now; a false answer must not be followed by {@link #record}. */
  boolean allow() {
    long now = clock.getAsLong();
    if (state == State.OPEN) {
      if (now - openedAt < OPEN_MS) {
        return false;
      }
      state = State.HALF_OPEN;
      trials = 0;
      trialSuccesses = 0;
    }
    if (state == State.HALF_OPEN) {
      if (trials >= HALF_OPEN_CALLS) {
        return false;
      }
      trials++;
      return true;
    }
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      requests = 0;
      failures = 0;
    }
    return true;
  }

  /** The outcome of an allowed call: {@code transportFailure} when the application could not be reached. */
  void record(boolean transportFailure) {
    if (state == State.HALF_OPEN) {
      if (transportFailure) {
        open();
      } else if (++trialSuccesses >= HALF_OPEN_CALLS) {
        state = State.CLOSED;
        windowStart = clock.getAsLong();
        requests = 0;
        failures = 0;
      }
      return;
    }
    if (state == State.OPEN) {
      return;
    }
    requests++;
    if (transportFailure) {
      failures++;
    }
    if (requests >= MIN_REQUESTS && failures >= FAILURE_RATIO * requests) {
      open();
    }
  }

  State state() {
    return state;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clock.getAsLong();
  }
}
