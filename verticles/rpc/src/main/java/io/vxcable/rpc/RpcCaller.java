package io.vxcable.rpc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vxcable.observability.Metrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Runs application calls the anycable-go way: at most {@code rpc_concurrency} in flight (the rest
 * wait in order; with {@code rpc_concurrency=0} the limit adapts between
 * {@code rpc_concurrency_min} and {@code _max}, shrinking on ResourceExhausted and growing while
 * calls wait), a circuit breaker in front of the application, each call bounded by {@code rpc_command_timeout} in total and {@code
 * rpc_request_timeout} per attempt, and retried with exponential backoff on ResourceExhausted
 * (10 ms base) and Unavailable (100 ms base) while the budget lasts. Owned by one event loop.
 *
 * <p>The budget starts when a call arrives, not when it gets a slot: a call that waited past it
 * fails without reaching the application. Its caller (a session's bus request, bounded by the
 * same budget plus a second) has given up by then; calling the application anyway is what turns a
 * reconnect storm into a collapse, every slot spent on a Connect whose client is already gone.
 */
final class RpcCaller {

  private final Vertx vertx;
  private final LongSupplier clock;
  private final boolean adaptive;
  private final int minLimit;
  private final int maxLimit;
  private final CircuitBreaker breaker;
  private int limit;
  private final long commandTimeoutMs;
  private final long requestTimeoutMs;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** The waiting calls of each session that named itself, for {@link #cancel}. */
  private final Map<String, List<Waiting>> waitingBySid = new HashMap<>();
  private int canceledWaiting;
  private int inFlight;
  private boolean draining;
  long calls;
  long retries;
  long errors;
  long timeouts;
  long canceled;

  /** A call waiting for a slot. */
  private static final class Waiting {
    final String sid;
    Runnable start;
    Runnable drop;
    boolean canceled;

    Waiting(String sid) {
      this.sid = sid;
    }
  }

  RpcCaller(Vertx vertx, RpcOptions options) {
    this(vertx, options, () -> System.nanoTime() / 1_000_000);
  }

  /** @param clockMs milliseconds of a monotonic clock (tests pass a manual one) */
  RpcCaller(Vertx vertx, RpcOptions options, LongSupplier clockMs) {
    this.clock = clockMs;
    this.vertx = vertx;
    this.adaptive = options.adaptive();
    this.limit = adaptive ? options.concurrencyInitial() : options.concurrency();
    this.minLimit = adaptive ? options.concurrencyMin() : limit;
    this.maxLimit = adaptive ? options.concurrencyMax() : limit;
    this.breaker = new CircuitBreaker(clockMs);
    this.commandTimeoutMs = options.commandTimeoutMs();
    this.requestTimeoutMs = options.requestTimeoutMs();
  }

  /** Calls {@code attempt(timeoutMs)} under the concurrency limit, retrying as described above. */
  <T> Future<T> call(LongFunction<Future<T>> attempt) {
    return call(null, attempt);
  }

  /** The same for a call of session {@code sid}, dropped if the session closes before it starts ({@link #cancel}). */
  <T> Future<T> call(String sid, LongFunction<Future<T>> attempt) {
    Promise<T> result = Promise.promise();
    long deadline = now() + (commandTimeoutMs > 0 ? commandTimeoutMs : Long.MAX_VALUE / 4);
    Waiting w = new Waiting(sid == null || sid.isEmpty() ? null : sid);
    w.start = () -> {
      calls++;
      run(attempt, deadline, null, 0, result);
      result.future().onComplete(ar -> release());
    };
    w.drop = () -> result.fail(new RpcException(RpcStatus.CANCELLED, "the session closed before its call started"));
    waiting.add(w);
    if (w.sid != null) {
      waitingBySid.computeIfAbsent(w.sid, k -> new ArrayList<>(1)).add(w);
    }
    drain();
    return result.future();
  }

  /**
   * Session {@code sid} closed: its calls still waiting for a slot fail at once without reaching
   * the application ({@code rpc_canceled_total}); calls already made run to their end.
   */
  void cancel(String sid) {
    List<Waiting> ws = waitingBySid.remove(sid);
    if (ws == null) {
      return;
    }
    for (Waiting w : ws) {
      w.canceled = true;
      canceled++;
      canceledWaiting++;
      w.drop.run();
    }
  }

  /** The current limit (fixed, or adapted between the configured minimum and maximum). */
  int limit() {
    return limit;
  }

  CircuitBreaker.State breaker() {
    return breaker.state();
  }

  int pending() {
    return waiting.size() - canceledWaiting;
  }

  int inFlight() {
    return inFlight;
  }

  private <T> void run(LongFunction<Future<T>> attempt, long deadline, RpcStatus last, int n, Promise<T> result) {
    long left = deadline - now();
    if (left <= 0) {
      errors++;
      timeouts++;
      result.fail(new RpcException(RpcStatus.DEADLINE_EXCEEDED,
          n == 0 && last == null ? "command timeout while waiting for a free slot" : "retry interrupted: command timeout"));
      return;
    }
    long perAttempt = requestTimeoutMs > 0 ? Math.min(requestTimeoutMs, left) : left;
    if (!breaker.allow()) {
      errors++;
      result.fail(new RpcException(RpcStatus.CIRCUIT_OPEN, "rpc is temporarily unavailable (circuit open)"));
      return;
    }
    attempt.apply(perAttempt).onComplete(ar -> {
      RpcException e = ar.succeeded() ? null
          : ar.cause() instanceof RpcException re ? re : GrpcAppClient.map(ar.cause());
      breaker.record(e != null && e.status() == RpcStatus.UNAVAILABLE);
      if (e == null) {
        if (adaptive && !waiting.isEmpty() && limit < maxLimit) {
          limit++; // grow while calls are waiting
        }
        result.complete(ar.result());
        return;
      }
      if (adaptive && e.status() == RpcStatus.RESOURCE_EXHAUSTED) {
        limit = Math.max(minLimit, limit - Math.max(1, limit / 4)); // the application is saturated
      }
      if (!e.status().retryable()) {
        errors++;
        if (e.status() == RpcStatus.DEADLINE_EXCEEDED) {
          timeouts++;
        }
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

  /** anycable-go's RPC metrics, read from this caller's counters (its event loop writes them). */
  void report(Metrics m) {
    m.counter("rpc_call_total", "The total number of RPC calls", () -> calls);
    m.counter("rpc_retries_total", "The total number of RPC call retries", () -> retries);
    m.counter("rpc_error_total", "The total number of failed RPC calls", () -> errors);
    m.counter("rpc_timeout_total", "The total number of RPC calls that timed out", () -> timeouts);
    m.counter("rpc_canceled_total", "The total number of RPC calls canceled because their session closed",
        () -> canceled);
    m.gauge("rpc_pending_num", "The number of pending RPC calls", this::pending);
    m.gauge("rpc_capacity_num", "The number of RPC calls that may run at once", this::limit);
  }

  private void release() {
    inFlight--;
    drain();
  }

  /**
   * Starts waiting calls while slots are free. Not re-entered: a call that fails at once (budget
   * spent while waiting, breaker open) releases its slot from inside {@code run()}, and thousands of
   * those after a storm would otherwise nest one call deep each.
   */
  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (inFlight < limit && !waiting.isEmpty()) {
        Waiting w = waiting.poll();
        if (w.canceled) {
          canceledWaiting--;
          continue;
        }
        if (w.sid != null) {
          forget(w);
        }
        inFlight++;
        w.start.run();
      }
    } finally {
      draining = false;
    }
  }

  private void forget(Waiting w) {
    List<Waiting> ws = waitingBySid.get(w.sid);
    if (ws != null && ws.remove(w) && ws.isEmpty()) {
      waitingBySid.remove(w.sid);
    }
  }

  private long now() {
    return clock.getAsLong();
  }
}
