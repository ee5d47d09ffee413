package io.vxcable.presence;

import com.google.protobuf.ByteString;
import io.vertx.core.json.Json;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.charset.StandardCharsets;

/**
 * A join or leave of an id in a stream, as published to the stream's subscribers:
 * {@code {"id":"<id>","info":<info>,"type":"join"}} (no {@code info} key when there is none) or
 * {@code {"id":"<id>","type":"leave"}}.
 *
 * @param stream the stream
 * @param type {@code join} or {@code leave}
 * @param id the presence id
 * @param info the id's info as a JSON text (checked by the gateway), or empty
 */
public record PresenceEvent(String stream, String type, String id, String info) {

  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  /** The {@code broadcast_type} of presence events on the bus. */
  public static final String BROADCAST_TYPE = "presence";

  static PresenceEvent join(String stream, String id, byte[] info) {
    return new PresenceEvent(stream, JOIN, id, new String(info, StandardCharsets.UTF_8));
  }

  static PresenceEvent leave(String stream, String id) {
    return new PresenceEvent(stream, LEAVE, id, "");
  }

  public String json() {
    StringBuilder sb = new StringBuilder(48 + id.length() + info.length());
    sb.append("{\"id\":").append(Json.encode(id));
    if (!info.isEmpty() && !info.equals("null")) {
      sb.append(",\"info\":").append(info);
    }
    return sb.append(",\"type\":\"").append(type).append("\"}").toString();
  }

  /** The transient broadcast that carries this event to the stream's subscribers. */
  public StreamBroadcast toBroadcast() {
    return StreamBroadcast.newBuilder()
        .setStream(stream)
        .setMessage(ByteString.copyFromUtf8(json()))
        .setBroadcastType(BROADCAST_TYPE)
        .setTransient(true)
        .build();
  }
}
