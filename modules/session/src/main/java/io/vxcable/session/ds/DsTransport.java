package io.vxcable.session.ds;

import io.vxcable.session.spi.Transport;
import java.util.function.IntConsumer;

/**
 * The transport of a Durable Streams read's session. The read writes its own response, so frames
 * the engine hands over (welcome, pings, disconnect notices: all empty, see {@link DsProtocol})
 * are dropped; what matters is the engine closing the session (a failed authentication, a remote
 * disconnect, a shutdown), which the read learns with the close code.
 */
final class DsTransport implements Transport {

  private IntConsumer onClose = code -> {};
  private boolean closed;
  private int closeCode;

  /** Tells {@code handler} when the engine closes the session (at once if it already did). */
  void onClose(IntConsumer handler) {
    this.onClose = handler;
    if (closed) {
      handler.accept(closeCode);
    }
  }

  @Override
  public void writeFrame(byte[] bytes, boolean binary, WriteCallback done) {
    done.written(true);
  }

  @Override
  public boolean supportsBinary() {
    return false;
  }

  @Override
  public void writeNativePing() {
    // A Durable Streams read has no ping.
  }

  @Override
  public void pause() {
    // Nothing is read from a client after its request.
  }

  @Override
  public void resume() {
    // See pause().
  }

  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    closeCode = code;
    onClose.accept(code);
  }

  @Override
  public void terminate() {
    close(1006, "");
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
