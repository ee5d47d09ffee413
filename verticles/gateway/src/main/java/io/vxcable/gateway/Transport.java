package io.vxcable.gateway;

import io.vertx.core.Future;

/**
 * The wire under a session: a WebSocket today, SSE or long polling later. Every method is called
 * on the session's event loop.
 */
public interface Transport {

  /**
   * Writes one complete text frame. The bytes may be shared with other sessions and must not be
   * modified. The future completes when the bytes reached the socket.
   */
  Future<Void> writeFrame(byte[] utf8);

  /** Sends a protocol-level ping frame (native pings), if the transport has them. */
  void writeNativePing();

  /** Stops delivering inbound messages until {@link #resume()}; the peer feels TCP backpressure. */
  void pause();

  void resume();

  /** Closes with a close code and reason (a closing handshake where the transport has one). */
  void close(int code, String reason);

  /** Drops the connection without a closing handshake (a stalled peer cannot read one). */
  void terminate();

  boolean isClosed();
}
