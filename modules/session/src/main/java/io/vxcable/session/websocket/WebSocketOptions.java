package io.vxcable.session.websocket;

import io.vxcable.config.Settings;
import io.vxcable.http.Admission;

/**
 * The WebSocket transport's settings (anycable-go flags, and vxcable's storm shield).
 *
 * @param maxMessageSize inbound frame and message limit in bytes, inflated size included (1009)
 * @param compression permessage-deflate offered ({@code --enable_ws_compression})
 * @param writeTimeout seconds the closing handshake may take before TCP is dropped
 * @param admission which new connections may start now ({@link Admission}); the others are shed
 */
public record WebSocketOptions(int maxMessageSize, boolean compression, int writeTimeout, Admission.Limits admission) {

  public static WebSocketOptions from(Settings s) {
    return new WebSocketOptions(s.integer("max_message_size"), s.bool("enable_ws_compression"), s.integer("ws_write_timeout"),
        Admission.Limits.from(s));
  }
}
