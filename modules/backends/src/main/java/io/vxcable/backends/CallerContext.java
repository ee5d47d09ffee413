package io.vxcable.backends;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Backends answer on their client's threads; their callers expect their own Vert.x context back
 * (the backend contracts say so). These hand a result over.
 */
public final class CallerContext {

  private CallerContext() {}

  /** {@code f}, completed on the calling Vert.x context, or on {@code fallback} when called from elsewhere. */
  public static <T> Future<T> onCaller(Context fallback, Future<T> f) {
    Context caller = Vertx.currentContext();
    return onContext(caller != null ? caller : fallback, f);
  }

  /** {@code f}, completed on {@code context}. */
  public static <T> Future<T> onContext(Context context, Future<T> f) {
    Promise<T> promise = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }
}
