package io.vxcable.rpc;

import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;

/**
 * Immutable RPC configuration (anycable-go flag names and defaults).
 *
 * @param host {@code host:port}, {@code dns:///host:port}, {@code grpc-list://h1:p1,h2:p2}, or an
 *     {@code http(s)://} base URL
 * @param implementation {@code grpc}, {@code http} or {@code none}; inferred from the host when empty
 * @param concurrency calls in flight at once (a value of 0 or less means anycable-go's 28)
 * @param requestTimeoutMs per-attempt timeout; 0 = none for gRPC
 * @param commandTimeoutMs total budget per call, retries included
 * @param httpTimeoutMs HTTP RPC per-request timeout (falls back to the request timeout, then 3000)
 * @param secret HTTP RPC bearer secret; empty = none
 */
public record RpcOptions(
    String host,
    String implementation,
    int concurrency,
    int requestTimeoutMs,
    int commandTimeoutMs,
    int httpTimeoutMs,
    String secret,
    int maxRecvSize,
    int maxSendSize) {

  public static final int DEFAULT_CONCURRENCY = 28;

  public RpcOptions {
    if (!implementation.equals("grpc") && !implementation.equals("http") && !implementation.equals("none")) {
      throw new ConfigException("--rpc_impl must be grpc, http or none, not " + implementation);
    }
  }

  public static RpcOptions from(Settings s) {
    String host = s.string("rpc_host");
    String impl = s.string("rpc_impl");
    if (s.bool("norpc")) {
      impl = "none";
    } else if (impl.isEmpty()) {
      impl = host.startsWith("http://") || host.startsWith("https://") ? "http" : "grpc";
    }
    int concurrency = s.integer("rpc_concurrency") <= 0 ? DEFAULT_CONCURRENCY : s.integer("rpc_concurrency");
    int request = s.integer("rpc_request_timeout");
    int http = s.integer("http_rpc_timeout") > 0 ? s.integer("http_rpc_timeout") : request > 0 ? request : 3000;
    return new RpcOptions(host, impl, concurrency, request, s.integer("rpc_command_timeout"), http,
        s.string("http_rpc_secret"), s.integer("rpc_max_call_recv_size"), s.integer("rpc_max_call_send_size"));
  }
}
