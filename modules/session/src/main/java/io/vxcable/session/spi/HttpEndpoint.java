package io.vxcable.session.spi;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * A plain-HTTP path the gateway serves on its main port besides the WebSocket paths: Server-Sent
 * Events, long polling, the Durable Streams read API, or a deployment's own transport. Sessions it
 * opens live in the gateway's session engine like WebSocket ones (same RPC, broker, presence,
 * metrics). Requests arrive on the gateway's event loop; the endpoint owns the response.
 */
public interface HttpEndpoint extends Handler<HttpServerRequest> {

  /** The path it answers ({@code /events}). */
  String path();

  /** Whether every path under {@link #path()} is answered too ({@code /ds/<stream>}). */
  default boolean tree() {
    return false;
  }

  /** What the start-up log says is handled there ({@code "SSE requests"}). */
  String description();

  /** From now on new requests are refused (a graceful shutdown); open ones end with the engine's shutdown. */
  default void refuseNewConnections() {}
}
