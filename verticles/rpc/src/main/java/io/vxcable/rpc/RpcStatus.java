package io.vxcable.rpc;

/**
 * The gRPC status codes the bridge acts on, whatever the transport (HTTP RPC results are mapped to
 * them as anycable-go does). {@link #retryable()} says whether a retry may succeed.
 */
public enum RpcStatus {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  RESOURCE_EXHAUSTED(8),
  INTERNAL(13),
  UNAVAILABLE(14),
  UNAUTHENTICATED(16),
  /** Not a gRPC code: the circuit breaker refused the call without trying (never retried). */
  CIRCUIT_OPEN(-1);

  final int code;

  RpcStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public boolean retryable() {
    return this == RESOURCE_EXHAUSTED || this == UNAVAILABLE;
  }

  /** Base interval of the exponential retry backoff (anycable-go: 10 ms and 100 ms). */
  long baseBackoffMs() {
    return this == RESOURCE_EXHAUSTED ? 10 : 100;
  }

  public static RpcStatus of(int code) {
    for (RpcStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
