package io.vxcable.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Starts {@code n} asynchronous jobs, at most {@code concurrency} at a time, counting the failed ones. */
final class Bounded {

  private Bounded() {}

  /** Runs of at least this many jobs report their progress ({@link Progress}). */
  static final int REPORTED = 2_000;

  /** Completes once every job has completed, successfully or not (failures add to {@code failed}). */
  static Future<Void> run(Vertx vertx, int n, int concurrency, IntFunction<Future<?>> job, AtomicInteger failed) {
    if (n == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    if (n >= REPORTED) {
      long t0 = System.nanoTime();
      long timer = Progress.every(vertx, "connecting", () -> finished.get() + " of " + n + " done, " + failed.get()
          + " failed, " + Math.round(finished.get() / Math.max(0.001, (System.nanoTime() - t0) / 1e9)) + "/s");
      done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      int i = started.getAndIncrement();
      if (i >= n) {
        return;
      }
      job.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          failed.incrementAndGet();
        }
        if (finished.incrementAndGet() == n) {
          done.tryComplete();
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(concurrency, n); i++) {
      vertx.runOnContext(v -> next[0].run());
    }
    return done.future();
  }
}
