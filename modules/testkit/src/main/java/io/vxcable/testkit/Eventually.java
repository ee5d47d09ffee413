package io.vxcable.testkit;

import java.util.concurrent.TimeUnit;

/** Waits for an assertion to hold: retried every 20 ms for up to 10 s, then its last failure is thrown. */
public final class Eventually {

  private Eventually() {}

  public static void eventually(Runnable check) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
