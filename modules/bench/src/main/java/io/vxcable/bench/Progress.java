package io.vxcable.bench;

import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Progress lines of a long run on stderr (stdout carries only the result line): one every
 * {@link #EVERY_MS} while the run lasts, so a 19,000-connection ramp or a ten-minute soak shows it
 * is alive and how far it got. {@code --quiet true} silences them.
 */
final class Progress {

  static final long EVERY_MS = 5_000;
  private static volatile boolean quiet;

  private Progress() {}

  static void quiet(boolean q) {
    quiet = q;
  }

  /** Prints {@code label: status} every few seconds until the returned timer is cancelled. */
  static long every(Vertx vertx, String label, Supplier<String> status) {
    return vertx.setPeriodic(EVERY_MS, id -> print(label, status.get()));
  }

  static void print(String label, String status) {
    if (!quiet) {
      System.err.println("[cable-bench] " + label + ": " + status);
    }
  }
}
