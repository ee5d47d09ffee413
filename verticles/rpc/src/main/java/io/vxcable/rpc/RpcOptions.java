package io.vxcable.rpc;

import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;

/**
 * Immutable RPC configuration (anycable-go flag names and defaults).
 *
 * @param host {@code host:port}, {@code dns:///host:port}, {@code grpc-list://h1:p1,h2:p2}, or an
 *     {@code http(s)://} base URL
 * @param implementation {@code grpc}, {@code http} or {@code none}; inferred from the host when empty
 * @param concurrency calls in flight at once; 0 = adaptive (AnyCable Pro), negative = 28
 * @param concurrencyInitial adaptive: the starting limit
 * @param concurrencyMin adaptive: the lowest limit
 * @param concurrencyMax adaptive: the highest limit
 * @param requestTimeoutMs per-attempt timeout; 0 = none for gRPC
 * @param commandTimeoutMs total budget per call, retries included
 * @param httpTimeoutMs HTTP RPC per-request timeout (falls back to the request timeout, then 3000)
 * @param secret HTTP RPC bearer secret; empty = none
 * @param tls TLS to the application ({@code rpc_enable_tls}, an {@code https://} host, or a root CA)
 * @param tlsVerify verify the application's certificate and host name
 * @param tlsRootCa a PEM file path or PEM contents trusted as root; empty = the JVM's trust store
 */
public record RpcOptions(
    String host,
    String implementation,
    int concurrency,
    int concurrencyInitial,
    int concurrencyMin,
    int concurrencyMax,
    int requestTimeoutMs,
    int commandTimeoutMs,
    int httpTimeoutMs,
    String secret,
    int maxRecvSize,
    int maxSendSize,
    boolean tls,
    boolean tlsVerify,
    String tlsRootCa) {

  public static final int DEFAULT_CONCURRENCY = 28;

  public RpcOptions {
    if (concurrency == 0 && (concurrencyMin < 1 || concurrencyMin > concurrencyInitial || concurrencyInitial > concurrencyMax)) {
      throw new ConfigException("adaptive RPC concurrency needs 1 <= rpc_concurrency_min <= rpc_concurrency_initial"
          + " <= rpc_concurrency_max");
    }
    if (!implementation.equals("grpc") && !implementation.equals("http") && !implementation.equals("none")) {
      throw new ConfigException("--rpc_impl must be grpc, http or none, not " + implementation);
    }
  }

  public boolean adaptive() {
    return concurrency == 0;
  }

  public static RpcOptions from(Settings s) {
    String host = s.string("rpc_host");
    String impl = s.string("rpc_impl");
    if (s.bool("norpc")) {
      impl = "none";
    } else if (impl.isEmpty()) {
      impl = host.startsWith("http://") || host.startsWith("https://") ? "http" : "grpc";
    }
    int concurrency = s.integer("rpc_concurrency") < 0 ? DEFAULT_CONCURRENCY : s.integer("rpc_concurrency");
    int request = s.integer("rpc_request_timeout");
    int http = s.integer("http_rpc_timeout") > 0 ? s.integer("http_rpc_timeout") : request > 0 ? request : 3000;
    return new RpcOptions(host, impl, concurrency, s.integer("rpc_concurrency_initial"), s.integer("rpc_concurrency_min"),
        s.integer("rpc_concurrency_max"), request, s.integer("rpc_command_timeout"), http,
        s.string("http_rpc_secret"), s.integer("rpc_max_call_recv_size"), s.integer("rpc_max_call_send_size"),
        s.bool("rpc_enable_tls") || host.startsWith("https://") || !s.string("rpc_tls_root_ca").isEmpty(),
        s.bool("rpc_tls_verify"), s.string("rpc_tls_root_ca"));
  }
}
