package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.LongFunction;

/**
 * Runs application calls the anycable-go way: at most {@code rpc_concurrency} in flight (the rest
 * wait in order), each call bounded by {@code rpc_command_timeout} in total and {@code
 * rpc_request_timeout} per attempt, and retried with exponential backoff on ResourceExhausted
 * (10 ms base) and Unavailable (100 ms base) while the budget lasts. Owned by one event loop.
 */
final class RpcCaller {

  private final Vertx vertx;
  private final int limit;
  private final long commandTimeoutMs;
  private final long requestTimeoutMs;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  long calls;
  long retries;
  long errors;

  RpcCaller(Vertx vertx, RpcOptions options) {
    this.vertx = vertx;
    this.limit = options.concurrency();
    this.commandTimeoutMs = options.commandTimeoutMs();
    this.requestTimeoutMs = options.requestTimeoutMs();
  }

  /** Calls {@code attempt(timeoutMs)} under the concurrency limit, retrying as described above. */
  <T> Future<T> call(LongFunction<Future<T>> attempt) {
    Promise<T> result = Promise.promise();
    Runnable start = () -> {
      long deadline = now() + (commandTimeoutMs > 0 ? commandTimeoutMs : Long.MAX_VALUE / 4);
      calls++;
      run(attempt, deadline, null, 0, result);
      result.future().onComplete(ar -> release());
    };
    if (inFlight < limit) {
      inFlight++;
      start.run();
    } else {
      waiting.add(start);
    }
    return result.future();
  }

  int pending() {
    return waiting.size();
  }

  int inFlight() {
    return inFlight;
  }

  private <T> void run(LongFunction<Future<T>> attempt, long deadline, RpcStatus last, int n, Promise<T> result) {
    long left = deadline - now();
    if (left <= 0) {
      errors++;
      result.fail(new RpcException(RpcStatus.DEADLINE_EXCEEDED, "retry interrupted: command timeout"));
      return;
    }
    long perAttempt = requestTimeoutMs > 0 ? Math.min(requestTimeoutMs, left) : left;
    attempt.apply(perAttempt).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
        return;
      }
      RpcException e = ar.cause() instanceof RpcException re ? re : GrpcAppClient.map(ar.cause());
      if (!e.status().retryable()) {
        errors++;
        result.fail(e);
        return;
      }
      int attemptNo = e.status() == last ? n + 1 : 0;
      long delay = (1L << Math.min(attemptNo, 16)) * e.status().baseBackoffMs();
      if (now() + delay >= deadline) {
        errors++;
        result.fail(new RpcException(e.status(), "retry interrupted: " + e.getMessage()));
        return;
      }
      retries++;
      vertx.setTimer(delay, id -> run(attempt, deadline, e.status(), attemptNo, result));
    });
  }

  private void release() {
    Runnable nextCall = waiting.poll();
    if (nextCall != null) {
      nextCall.run();
    } else {
      inFlight--;
    }
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
