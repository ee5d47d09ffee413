package io.vxcable.session.wire;

import io.vxcable.protocol.ClientCommand;
import io.vxcable.protocol.JsonText;
import io.vxcable.protocol.ProtocolException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Decodes a msgpack client frame: one map with the JSON command's fields ({@code command},
 * {@code identifier}, {@code data}, {@code history}, {@code presence}). As with JSON, unknown
 * fields are skipped and a known field of the wrong type makes the whole frame malformed. A string
 * {@code data} (what Action Cable's {@code message} sends) stays text; any other {@code data} (a
 * whisper's object) is passed on as JSON.
 */
final class MsgpackCommands {

  private MsgpackCommands() {}

  static ClientCommand decode(byte[] frame) throws ProtocolException {
    Value root;
    try (MessageUnpacker in = Msgpack.UNPACKER.newUnpacker(frame)) {
      root = in.unpackValue();
      if (in.hasNext()) {
        throw new ProtocolException("trailing data after the command");
      }
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException("invalid msgpack: " + e.getMessage());
    }
    try {
      return command(root);
    } catch (RuntimeException e) {
      // A string that is not UTF-8 is only found when read.
      throw new ProtocolException("invalid msgpack: " + e.getMessage());
    }
  }

  private static ClientCommand command(Value root) throws ProtocolException {
    if (!root.isMapValue()) {
      throw new ProtocolException("a command must be a msgpack map");
    }
    String command = null;
    String identifier = null;
    String dataString = null;
    String dataJson = null;
    ClientCommand.HistoryRequest history = null;
    ClientCommand.PresenceData presence = null;
    Value[] kv = root.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      if (!kv[i].isStringValue()) {
        continue;
      }
      Value v = kv[i + 1];
      switch (kv[i].asStringValue().asString()) {
        case "command" -> command = string(v, "command");
        case "identifier" -> identifier = string(v, "identifier");
        case "data" -> {
          if (v.isStringValue()) {
            dataString = v.asStringValue().asString();
            dataJson = JsonText.quote(dataString);
          } else if (!v.isNilValue()) {
            dataJson = Msgpack.json(v);
          }
        }
        case "history" -> history = v.isNilValue() ? null : history(v);
        case "presence" -> presence = v.isNilValue() ? null : presence(v);
        default -> { }
      }
    }
    return new ClientCommand(command, identifier, dataString, dataJson, history, presence);
  }

  private static String string(Value v, String field) throws ProtocolException {
    if (v.isNilValue()) {
      return null;
    }
    if (!v.isStringValue()) {
      throw new ProtocolException(field + " must be a string");
    }
    return v.asStringValue().asString();
  }

  private static ClientCommand.HistoryRequest history(Value v) throws ProtocolException {
    if (!v.isMapValue()) {
      throw new ProtocolException("history must be a map");
    }
    long since = 0;
    Map<String, ClientCommand.StreamPosition> streams = null;
    Value[] kv = v.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      String field = kv[i].isStringValue() ? kv[i].asStringValue().asString() : "";
      Value value = kv[i + 1];
      if ("since".equals(field)) {
        if (!value.isNilValue() && !(value.isIntegerValue() && value.asIntegerValue().isInLongRange())) {
          throw new ProtocolException("history.since must be an integer");
        }
        since = value.isNilValue() ? 0 : value.asIntegerValue().asLong();
      } else if ("streams".equals(field) && !value.isNilValue()) {
        if (!value.isMapValue()) {
          throw new ProtocolException("history.streams must be a map");
        }
        streams = new LinkedHashMap<>();
        Value[] positions = value.asMapValue().getKeyValueArray();
        for (int j = 0; j < positions.length; j += 2) {
          if (!positions[j].isStringValue()) {
            throw new ProtocolException("a stream name must be a string");
          }
          streams.put(positions[j].asStringValue().asString(), position(positions[j + 1]));
        }
        streams = Collections.unmodifiableMap(streams);
      }
    }
    return new ClientCommand.HistoryRequest(since, streams);
  }

  private static ClientCommand.StreamPosition position(Value v) throws ProtocolException {
    if (!v.isMapValue()) {
      throw new ProtocolException("a stream position must be a map");
    }
    String epoch = "";
    long offset = 0;
    Value[] kv = v.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      String field = kv[i].isStringValue() ? kv[i].asStringValue().asString() : "";
      Value value = kv[i + 1];
      if ("epoch".equals(field)) {
        String e = string(value, "epoch");
        epoch = e == null ? "" : e;
      } else if ("offset".equals(field)) {
        if (!value.isIntegerValue() || !value.asIntegerValue().isInLongRange() || value.asIntegerValue().asLong() < 0) {
          throw new ProtocolException("offset must be a non-negative integer");
        }
        offset = value.asIntegerValue().asLong();
      }
    }
    return new ClientCommand.StreamPosition(epoch, offset);
  }

  private static ClientCommand.PresenceData presence(Value v) throws ProtocolException {
    if (!v.isMapValue()) {
      throw new ProtocolException("presence must be a map");
    }
    String id = "";
    String info = null;
    Value[] kv = v.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      String field = kv[i].isStringValue() ? kv[i].asStringValue().asString() : "";
      Value value = kv[i + 1];
      if ("id".equals(field)) {
        String s = string(value, "presence.id");
        id = s == null ? "" : s;
      } else if ("info".equals(field) && !value.isNilValue()) {
        info = Msgpack.json(value);
      }
    }
    return new ClientCommand.PresenceData(id, info);
  }
}
