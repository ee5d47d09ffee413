package io.vxcable.gateway;

/**
 * The wire under a session: a WebSocket today, SSE or long polling later. Every method is called
 * on the session's event loop.
 */
public interface Transport {

  /** Told once, on the session's event loop, whether a write reached the socket. */
  @FunctionalInterface
  interface WriteCallback {
    void written(boolean ok);
  }

  /**
   * Writes one complete text frame. The bytes may be shared with other sessions and must not be
   * modified. {@code done} learns when the bytes reached the socket, or that they never will.
   */
  void writeFrame(byte[] utf8, WriteCallback done);

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
