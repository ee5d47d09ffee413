package io.vxcable.session.sse;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.ProtocolException;
import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import io.vxcable.session.wire.ActionCableJson;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Action Cable over Server-Sent Events, as anycable-go writes it: every server message becomes one
 * event ({@code event: <type>} for typed messages, {@code data:} lines, {@code id:
 * <offset>/<epoch>/<stream>} for broadcasts with a stream position, {@code retry:} a year for a
 * disconnect without reconnect), each ending with a blank line. Three shared instances:
 *
 * <ul>
 *   <li>{@link #GET}: data messages carry only their {@code message} value (a JSON string as its
 *       text), typed ones their full JSON;
 *   <li>{@link #RAW}: the same data messages and nothing else (no welcome, confirmation or ping);
 *   <li>{@link #POST}: every message as its full JSON (broadcasts with their stream position).
 * </ul>
 *
 * <p>A message the client should not see is encoded as an empty frame, which the transport skips.
 * The protocol reads nothing: SSE clients send no frames.
 */
public final class SseProtocol implements WireProtocol {

  public static final SseProtocol GET = new SseProtocol("sse", true, false);
  public static final SseProtocol RAW = new SseProtocol("sse-raw", true, true);
  public static final SseProtocol POST = new SseProtocol("sse-full", false, false);

  /** Nothing to write: the transport skips empty frames. */
  static final byte[] NOTHING = new byte[0];
  /** Tells EventSource not to reconnect for a year (anycable-go's value). */
  static final String NO_RECONNECT = "retry: 31536000000";

  private static final ActionCableJson JSON = ActionCableJson.V1;

  private final String name;
  private final boolean unwrap;
  private final boolean raw;

  private SseProtocol(String name, boolean unwrap, boolean raw) {
    this.name = name;
    this.unwrap = unwrap;
    this.raw = raw;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean extended() {
    return false;
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public void decode(byte[] frame, Consumer<ClientCommand> out) throws ProtocolException {
    throw new ProtocolException("SSE clients send no frames");
  }

  @Override
  public byte[] encode(Reply reply) {
    byte[] json = JSON.encode(reply);
    if (!(reply instanceof Reply.Transmission)) {
      if (raw) {
        return NOTHING;
      }
      String extra = reply instanceof Reply.Disconnect d && !d.reconnect() ? NO_RECONNECT : null;
      return event(type(reply), new String(json, StandardCharsets.UTF_8), extra);
    }
    // An application's transmission: typed (a custom type) or data, like anycable-go decides.
    String text = new String(json, StandardCharsets.UTF_8);
    JsonObject parsed;
    try {
      parsed = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return raw ? NOTHING : event(null, text, null);
    }
    String type = parsed.getValue("type") instanceof String t && !t.isEmpty() ? t : null;
    if (type != null) {
      return raw ? NOTHING : event(type, text, null);
    }
    if (!unwrap) {
      return event(null, text, null);
    }
    Object message = parsed.getValue("message");
    return event(null, message instanceof String s ? s : Json.encode(message), null);
  }

  private static String type(Reply reply) {
    if (reply instanceof Reply.Welcome) {
      return "welcome";
    } else if (reply instanceof Reply.Disconnect) {
      return "disconnect";
    } else if (reply instanceof Reply.Ping) {
      return "ping";
    } else if (reply instanceof Reply.Pong) {
      return "pong";
    } else if (reply instanceof Reply.ConfirmSubscription) {
      return "confirm_subscription";
    } else if (reply instanceof Reply.RejectSubscription) {
      return "reject_subscription";
    } else if (reply instanceof Reply.ConfirmHistory) {
      return "confirm_history";
    } else if (reply instanceof Reply.RejectHistory) {
      return "reject_history";
    }
    // Presence replies and anything added later carry their type in their JSON.
    return "presence";
  }

  @Override
  public WireProtocol broadcastFormat() {
    // Raw and unwrapped sessions receive the same data events.
    return this == RAW ? GET : this;
  }

  @Override
  public Object payload(StreamBroadcast broadcast) {
    if (!unwrap) {
      return JSON.payload(broadcast);
    }
    // The data event is the same for every identifier: built once per broadcast.
    String data = broadcast.getMessage().toStringUtf8();
    if (data.startsWith("\"")) {
      try {
        Object decoded = Json.decodeValue(data);
        if (decoded instanceof String s) {
          data = s;
        }
      } catch (DecodeException e) {
        // Not a JSON string after all: sent as it is.
      }
    }
    return event(null, data, null, broadcast);
  }

  @Override
  public BroadcastEncoder broadcasts(String identifier) {
    WireProtocol.BroadcastEncoder full = JSON.broadcasts(identifier);
    if (unwrap) {
      return (m, payload) -> {
        if (m.getBroadcastType().isEmpty()) {
          return (byte[]) payload;
        }
        // A typed broadcast (a whisper, a presence event) is a protocol event, not data.
        return raw ? NOTHING : event(m.getBroadcastType(), utf8(full.encode(m, JSON.payload(m))), null, m);
      };
    }
    return (m, payload) -> event(m.getBroadcastType().isEmpty() ? null : m.getBroadcastType(),
        utf8(full.encode(m, payload)), null, m);
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] event(String type, String data, String extra) {
    return event(type, data, extra, null);
  }

  /**
   * One event: {@code event:} when typed, the data split into {@code data:} lines at every line
   * break, {@code id:} when the broadcast has a stream position, {@code extra}, then a blank line.
   */
  static byte[] event(String type, String data, String extra, StreamBroadcast position) {
    StringBuilder sb = new StringBuilder(data.length() + 64);
    if (type != null) {
      sb.append("event: ").append(type).append('\n');
    }
    int start = 0;
    int n = data.length();
    for (int i = 0; i < n; i++) {
      char c = data.charAt(i);
      if (c == '\r' || c == '\n') {
        sb.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    sb.append("data: ").append(data, start, n).append('\n');
    if (position != null && position.getOffset() > 0 && !position.getEpoch().isEmpty() && !position.getStream().isEmpty()) {
      sb.append("id: ").append(position.getOffset()).append('/').append(position.getEpoch()).append('/')
          .append(position.getStream()).append('\n');
    }
    if (extra != null) {
      sb.append(extra).append('\n');
    }
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return name;
  }
}
