package io.vxcable.rpc;

import java.util.function.LongSupplier;

/**
 * One warning line, at most every {@link #EVERY_MS}, when calls to the application fail for a
 * reason the operator can fix (it is down, unreachable or slow, or refuses the bridge's secret):
 * the cause, how many calls failed since the last line, and the flag to look at. Each failed call
 * is still logged at FINE with its session id.
 */
final class FailureReport {

  static final long EVERY_MS = 10_000;

  private final String target;
  private final String implementation;
  private final LongSupplier clockMs;
  private long lastAt = Long.MIN_VALUE;
  private int failed;

  FailureReport(String implementation, String target, LongSupplier clockMs) {
    this.implementation = implementation;
    this.target = target;
    this.clockMs = clockMs;
  }

  /** Counts a failed call; the line to log now, or null (nothing the operator can fix, or said recently). */
  synchronized String failed(RpcException e) {
    String advice = advice(e.status());
    if (advice == null) {
      return null;
    }
    failed++;
    long now = clockMs.getAsLong();
    if (lastAt != Long.MIN_VALUE && now - lastAt < EVERY_MS) {
      return null;
    }
    String line = "RPC calls to " + target + " (" + implementation + ") fail: " + e.getMessage()
        + " (" + failed + (failed == 1 ? " call" : " calls") + (lastAt == Long.MIN_VALUE ? "" : " in the last " + (now - lastAt) / 1000 + " s")
        + "); " + advice;
    lastAt = now;
    failed = 0;
    return line;
  }

  private static String advice(RpcStatus status) {
    return switch (status) {
      case UNAVAILABLE, CIRCUIT_OPEN ->
          "is the application running there? Set --rpc_host, or run without an application (--public, or --jwt_secret with signed streams)";
      case DEADLINE_EXCEEDED -> "the application answers too slowly: see --rpc_request_timeout and --rpc_concurrency";
      case UNAUTHENTICATED -> "the application refused the bridge's credentials: check --http_rpc_secret (or --secret)";
      default -> null;
    };
  }
}
