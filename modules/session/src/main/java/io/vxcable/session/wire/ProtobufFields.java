package io.vxcable.session.wire;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.actioncable.Message;
import io.vxcable.contracts.actioncable.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of one server frame in the protobuf encoding, written as an {@code action_cable.Reply}
 * (extended protocol) or an {@code action_cable.Message} (plain protocol, which has no session or
 * stream fields and drops them). Unset fields keep proto3's defaults and are not written.
 */
final class ProtobufFields {

  int type;
  String identifier = "";
  /** msgpack bytes; null when none. */
  byte[] message;
  String reason = "";
  boolean reconnect;
  String streamId = "";
  String epoch = "";
  long offset;
  String sid = "";
  boolean restored;
  List<String> restoredIds = List.of();

  Reply reply() {
    Reply.Builder b = Reply.newBuilder().setTypeValue(type).setIdentifier(identifier).setReason(reason)
        .setReconnect(reconnect).setStreamId(streamId).setEpoch(epoch).setOffset(offset).setSid(sid)
        .setRestored(restored).addAllRestoredIds(restoredIds);
    if (message != null) {
      b.setMessage(ByteString.copyFrom(message));
    }
    return b.build();
  }

  Message message() {
    Message.Builder b = Message.newBuilder().setTypeValue(type).setIdentifier(identifier).setReason(reason)
        .setReconnect(reconnect);
    if (message != null) {
      b.setMessage(ByteString.copyFrom(message));
    }
    return b.build();
  }

  /**
   * An application's transmission (a JSON object by AnyCable's RPC contract) as frame fields:
   * {@code type} by name, {@code message} converted to msgpack, the other fields of the schema
   * taken as they are and anything else left out.
   *
   * @throws IOException when it is not a JSON object or a field has the wrong type (as anycable-go
   *     fails to encode it, the transmission is not sent)
   */
  static ProtobufFields ofTransmission(String json) throws IOException {
    if (!(JsonValues.read(json) instanceof Map<?, ?> map)) {
      throw new IOException("a transmission must be a JSON object");
    }
    ProtobufFields f = new ProtobufFields();
    f.type = ActionCableProtobuf.type(get(map, "type", String.class, null));
    f.identifier = get(map, "identifier", String.class, "");
    if (map.get("message") != null) {
      f.message = Msgpack.bytes(map.get("message"));
    }
    f.reason = get(map, "reason", String.class, "");
    f.reconnect = get(map, "reconnect", Boolean.class, false);
    f.streamId = get(map, "stream_id", String.class, "");
    f.epoch = get(map, "epoch", String.class, "");
    f.offset = get(map, "offset", Long.class, 0L);
    f.sid = get(map, "sid", String.class, "");
    f.restored = get(map, "restored", Boolean.class, false);
    List<?> ids = get(map, "restored_ids", List.class, List.of());
    List<String> restoredIds = new ArrayList<>(ids.size());
    for (Object id : ids) {
      if (!(id instanceof String s)) {
        throw new IOException("restored_ids must hold strings");
      }
      restoredIds.add(s);
    }
    f.restoredIds = restoredIds;
    return f;
  }

  private static <T> T get(Map<?, ?> map, String key, Class<T> type, T fallback) throws IOException {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (!type.isInstance(v)) {
      throw new IOException(key + " must be a " + type.getSimpleName());
    }
    return type.cast(v);
  }
}
