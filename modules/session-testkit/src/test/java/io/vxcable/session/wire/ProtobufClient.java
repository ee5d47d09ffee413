package io.vxcable.session.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.vertx.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of protobuf in the tests, as {@code @anycable/protobuf-encoder} behaves, written
 * by field number from the documented schema with the protobuf runtime only (not the classes
 * generated from our .proto, so a wrong number there cannot hide): commands are encoded as
 * {@code action_cable.Message} (a {@code data} that is not a string JSON-stringified, as the
 * encoder does), server frames read as {@code Message} (plain) or {@code Reply} (extended) into the
 * fields present on the wire, {@code type} as its enum name and {@code message} decoded as msgpack.
 */
final class ProtobufClient {

  static final List<String> TYPES = List.of("no_type", "welcome", "disconnect", "ping", "confirm_subscription",
      "reject_subscription", "confirm_history", "reject_history");
  static final List<String> COMMANDS = List.of("unknown_command", "subscribe", "unsubscribe", "message", "history",
      "pong", "whisper");

  private ProtobufClient() {}

  @SuppressWarnings("unchecked")
  static byte[] message(Map<String, Object> command) {
    return encode(out -> {
      if (command.get("command") != null) {
        out.writeEnum(2, COMMANDS.indexOf((String) command.get("command")));
      }
      if (command.get("identifier") != null) {
        out.writeString(3, (String) command.get("identifier"));
      }
      Object data = command.get("data");
      if (data != null) {
        out.writeString(4, data instanceof String s ? s : Json.encode(data));
      }
      if (command.get("history") != null) {
        out.writeByteArray(8, history((Map<String, Object>) command.get("history")));
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static byte[] history(Map<String, Object> h) {
    return encode(out -> {
      if (h.get("since") != null) {
        out.writeInt64(1, ((Number) h.get("since")).longValue());
      }
      Map<String, Map<String, Object>> streams = (Map<String, Map<String, Object>>) h.getOrDefault("streams", Map.of());
      for (Map.Entry<String, Map<String, Object>> e : streams.entrySet()) {
        byte[] position = encode(p -> {
          p.writeString(2, (String) e.getValue().get("epoch"));
          p.writeInt64(3, ((Number) e.getValue().get("offset")).longValue());
        });
        out.writeByteArray(2, encode(entry -> {
          entry.writeString(1, e.getKey());
          entry.writeByteArray(2, position);
        }));
      }
    });
  }

  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] encode(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      w.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A server frame: a Reply (extended protocol) or a Message (plain protocol), fields on the wire only. */
  static Map<String, Object> read(byte[] frame, boolean reply) {
    Map<String, Object> fields = new LinkedHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      int tag;
      while ((tag = in.readTag()) != 0) {
        String name = (reply ? REPLY_FIELDS : MESSAGE_FIELDS).get(tag >>> 3);
        switch (name) {
          case "type" -> fields.put(name, TYPES.get(in.readEnum()));
          case "command" -> fields.put(name, COMMANDS.get(in.readEnum()));
          case "message" -> fields.put(name, MsgpackClient.unpack(in.readByteArray()));
          case "reconnect", "restored" -> fields.put(name, in.readBool());
          case "offset" -> fields.put(name, in.readInt64());
          case "restored_ids" -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = (List<Object>) fields.computeIfAbsent(name, k -> new ArrayList<>());
            ids.add(in.readString());
          }
          case "history" -> fields.put(name, in.readByteArray());
          default -> fields.put(name, in.readString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fields;
  }

  static final Map<Integer, String> REPLY_FIELDS = Map.ofEntries(Map.entry(1, "type"), Map.entry(2, "identifier"),
      Map.entry(3, "message"), Map.entry(4, "reason"), Map.entry(5, "reconnect"), Map.entry(6, "stream_id"),
      Map.entry(7, "epoch"), Map.entry(8, "offset"), Map.entry(9, "sid"), Map.entry(10, "restored"),
      Map.entry(11, "restored_ids"));
  static final Map<Integer, String> MESSAGE_FIELDS = Map.of(1, "type", 2, "command", 3, "identifier", 4, "data",
      5, "message", 6, "reason", 7, "reconnect", 8, "history");

  /** Bytes spelled by hand: an Integer is one byte, a String its UTF-8 (write the length before it). */
  static byte[] golden(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer b) {
        out.write(b);
      } else if (p instanceof String s) {
        out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else {
        out.writeBytes((byte[]) p);
      }
    }
    return out.toByteArray();
  }
}
