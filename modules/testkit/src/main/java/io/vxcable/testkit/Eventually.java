package io.vxcable.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Waits for an assertion to hold, or for a call to succeed, retrying until a deadline, then throws its last failure. */
public final class Eventually {

  private Eventually() {}

  /** Retries {@code check} every 20 ms for up to 10 s while it fails an assertion. */
  public static void eventually(Runnable check) {
    eventually(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
      check.run();
      return null;
    });
  }

  /**
   * Retries {@code call} every {@code pause} while it throws (an assertion or any exception) until
   * {@code timeout} has passed, and returns its first result; afterwards its last failure is thrown.
   */
  public static <T> T eventually(Duration timeout, Duration pause, Callable<T> call) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return call.call();
      } catch (Exception | AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw failure(e);
        }
        try {
          TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting", e);
        }
      }
    }
  }

  private static RuntimeException failure(Throwable e) {
    if (e instanceof AssertionError a) {
      throw a;
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
