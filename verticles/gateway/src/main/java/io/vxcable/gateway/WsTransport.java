package io.vxcable.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * {@link Transport} over a Vert.x server WebSocket: used when permessage-deflate is on (Vert.x
 * negotiates the extension); otherwise {@link NettyWebSocket} serves the connection.
 */
final class WsTransport implements Transport {

  private static final Buffer EMPTY = Buffer.buffer();

  private final ServerWebSocket ws;

  WsTransport(ServerWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public void writeFrame(byte[] utf8, WriteCallback done) {
    if (ws.isClosed()) {
      done.written(false);
      return;
    }
    // The internal frame type wraps the shared byte[] without copying it; the public
    // WebSocketFrame.textFrame(String) would re-encode the text for every recipient.
    ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true))
        .onComplete(ar -> done.written(ar.succeeded()));
  }

  @Override
  public void writeNativePing() {
    if (!ws.isClosed()) {
      ws.writePing(EMPTY);
    }
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public void close(int code, String reason) {
    if (!ws.isClosed()) {
      ws.close((short) code, reason);
    }
  }

  @Override
  public void terminate() {
    if (!ws.isClosed()) {
      // Closing handshake first (it may never be read), then the closing timeout drops TCP.
      ws.close((short) 1011, "Write Failed");
    }
  }

  @Override
  public boolean isClosed() {
    return ws.isClosed();
  }
}
