package io.vxcable.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes client frames with a streaming parser (no tree). Unknown fields are skipped; fields of
 * the wrong type make the whole frame invalid, as anycable-go's struct decoding does.
 */
public final class CommandParser {

  private static final JsonFactory FACTORY = new JsonFactory();

  private CommandParser() {}

  public static ClientCommand parse(String frame) throws ProtocolException {
    try (JsonParser p = FACTORY.createParser(frame)) {
      return parse(p);
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException("invalid JSON: " + e.getMessage());
    }
  }

  /** The same from UTF-8 bytes (a text frame's payload, or a binary frame carrying JSON). */
  public static ClientCommand parse(byte[] utf8) throws ProtocolException {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      return parse(p);
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException("invalid JSON: " + e.getMessage());
    }
  }

  private static ClientCommand parse(JsonParser p) throws IOException, ProtocolException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ProtocolException("a command must be a JSON object");
    }
    String command = null;
    String identifier = null;
    String dataString = null;
    String dataJson = null;
    ClientCommand.HistoryRequest history = null;
    ClientCommand.PresenceData presence = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "command" -> command = string(p, t, field);
        case "identifier" -> identifier = string(p, t, field);
        case "data" -> {
          if (t == JsonToken.VALUE_STRING) {
            dataString = p.getText();
            dataJson = JsonText.quote(dataString);
          } else if (t != JsonToken.VALUE_NULL) {
            dataJson = copy(p);
          }
        }
        case "history" -> history = t == JsonToken.VALUE_NULL ? null : history(p, t);
        case "presence" -> presence = t == JsonToken.VALUE_NULL ? null : presence(p, t);
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
      throw new ProtocolException("trailing data after the command");
    }
    return new ClientCommand(command, identifier, dataString, dataJson, history, presence);
  }

  private static String string(JsonParser p, JsonToken t, String field) throws ProtocolException, IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new ProtocolException(field + " must be a string");
    }
    return p.getText();
  }

  private static ClientCommand.HistoryRequest history(JsonParser p, JsonToken t) throws IOException, ProtocolException {
    if (t != JsonToken.START_OBJECT) {
      throw new ProtocolException("history must be an object");
    }
    long since = 0;
    Map<String, ClientCommand.StreamPosition> streams = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("since".equals(field)) {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NULL) {
          throw new ProtocolException("history.since must be an integer");
        }
        since = v == JsonToken.VALUE_NULL ? 0 : p.getLongValue();
      } else if ("streams".equals(field)) {
        if (v == JsonToken.VALUE_NULL) {
          continue;
        }
        if (v != JsonToken.START_OBJECT) {
          throw new ProtocolException("history.streams must be an object");
        }
        streams = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String stream = p.currentName();
          streams.put(stream, position(p, p.nextToken()));
        }
        streams = Collections.unmodifiableMap(streams);
      } else {
        p.skipChildren();
      }
    }
    return new ClientCommand.HistoryRequest(since, streams);
  }

  private static ClientCommand.StreamPosition position(JsonParser p, JsonToken t) throws IOException, ProtocolException {
    if (t != JsonToken.START_OBJECT) {
      throw new ProtocolException("a stream position must be an object");
    }
    String epoch = "";
    long offset = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("epoch".equals(field)) {
        epoch = v == JsonToken.VALUE_NULL ? "" : string(p, v, "epoch");
      } else if ("offset".equals(field)) {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
          throw new ProtocolException("offset must be a non-negative integer");
        }
        offset = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return new ClientCommand.StreamPosition(epoch, offset);
  }

  private static ClientCommand.PresenceData presence(JsonParser p, JsonToken t) throws IOException, ProtocolException {
    if (t != JsonToken.START_OBJECT) {
      throw new ProtocolException("presence must be an object");
    }
    String id = "";
    String info = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("id".equals(field)) {
        id = v == JsonToken.VALUE_NULL ? "" : string(p, v, "presence.id");
      } else if ("info".equals(field)) {
        info = v == JsonToken.VALUE_NULL ? null : copy(p);
      } else {
        p.skipChildren();
      }
    }
    return new ClientCommand.PresenceData(id, info);
  }

  /**
   * The current value (scalar or structure) as compact JSON text, numbers exactly as written
   * (Jackson's own copy rounds them through a double: {@code 1e400} became {@code "Infinity"}).
   */
  private static String copy(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      int depth = 0;
      do {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          g.writeNumber(p.getText());
        } else {
          g.copyCurrentEvent(p);
        }
        depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
      } while (depth > 0 && p.nextToken() != null);
    }
    return out.toString();
  }
}
