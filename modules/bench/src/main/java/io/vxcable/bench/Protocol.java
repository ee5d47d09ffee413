package io.vxcable.bench;

import io.vertx.core.http.WebSocket;

/**
 * How a client of the target speaks: {@code actioncable} subscribes to a {@code $pubsub} stream
 * and is ready on {@code confirm_subscription}; {@code ws} is ready once open and treats every
 * text frame as a delivery; {@code socketio} speaks Engine.IO 4 over a WebSocket (connects to the
 * default namespace, answers pings) and takes {@code 42[...]} event frames as deliveries.
 */
enum Protocol {
  ACTIONCABLE("actioncable-v1-json"),
  WS(null),
  SOCKETIO(null);

  final String subProtocol;

  Protocol(String subProtocol) {
    this.subProtocol = subProtocol;
  }

  static Protocol of(String name) {
    return switch (name) {
      case "actioncable" -> ACTIONCABLE;
      case "ws" -> WS;
      case "socketio" -> SOCKETIO;
      default -> throw new IllegalArgumentException("unknown protocol: " + name + " (actioncable, ws, socketio)");
    };
  }

  /** What to send once the socket is open (nothing for {@code ws}). */
  void start(WebSocket ws, String stream) {
    if (this == ACTIONCABLE) {
      ws.writeTextMessage("{\"command\":\"subscribe\",\"identifier\":" + quote(identifier(stream)) + "}");
    }
  }

  /** Answers what the protocol requires (Engine.IO open and pings); true when the frame is used up. */
  boolean control(WebSocket ws, String frame) {
    if (this != SOCKETIO) {
      return false;
    }
    if (frame.startsWith("0{")) {
      ws.writeTextMessage("40");
      return true;
    }
    if (frame.equals("2")) {
      ws.writeTextMessage("3");
      return true;
    }
    return false;
  }

  /** Whether this frame means the client now receives the stream. */
  boolean ready(String frame) {
    return switch (this) {
      case WS -> true;
      case SOCKETIO -> frame.startsWith("40");
      case ACTIONCABLE -> frame.contains("\"confirm_subscription\"");
    };
  }

  /** Whether this frame carries a broadcast (not a ping, welcome or confirmation). */
  boolean delivery(String frame) {
    return switch (this) {
      case WS -> true;
      case SOCKETIO -> frame.startsWith("42");
      case ACTIONCABLE -> frame.startsWith("{\"identifier\"") && frame.contains("\"message\"");
    };
  }

  static String identifier(String stream) {
    return "{\"channel\":\"$pubsub\",\"stream_name\":" + quote(stream) + "}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
