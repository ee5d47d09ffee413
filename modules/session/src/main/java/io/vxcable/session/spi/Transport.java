package io.vxcable.session.spi;

/**
 * Responsible for moving one session's frames over a connection: a WebSocket today, SSE or long
 * polling next. It declares what it can carry; the engine decides what to say. Every method is
 * called on the session's event loop.
 */
public interface Transport {

  /** Told once, on the session's event loop, whether a write reached the socket. */
  @FunctionalInterface
  interface WriteCallback {
    void written(boolean ok);
  }

  /**
   * Writes one complete frame. The bytes may be shared with other sessions and must not be
   * modified. {@code done} learns when the bytes reached the socket, or that they never will.
   *
   * @param binary a binary frame (binary wire protocols); a text frame otherwise
   */
  void writeFrame(byte[] bytes, boolean binary, WriteCallback done);

  /** Whether the transport carries binary frames (a binary wire protocol needs it). */
  default boolean supportsBinary() {
    return true;
  }

  /** Whether {@link #writeNativePing} sends anything (WebSocket ping frames). */
  default boolean supportsNativePings() {
    return false;
  }

  /**
   * Whether the peer reads only when it asks (long polling): frames wait in the transport for its
   * next request. Such a session gets no pings (each answer shows the server is there, and a ping
   * would end every waiting request early), so it is never held to a pong deadline it could not
   * meet between requests, and frames waiting for a request are not a write stall; the transport
   * itself ends a peer that stops asking.
   */
  default boolean polled() {
    return false;
  }

  /** Sends a protocol-level ping frame (native pings), where the transport has them. */
  void writeNativePing();

  /** Stops delivering inbound frames until {@link #resume()}; the peer feels TCP backpressure. */
  void pause();

  void resume();

  /** Closes with a close code and reason (a closing handshake where the transport has one). */
  void close(int code, String reason);

  /** Drops the connection without waiting for the peer (a stalled peer cannot read a goodbye). */
  void terminate();

  boolean isClosed();
}
