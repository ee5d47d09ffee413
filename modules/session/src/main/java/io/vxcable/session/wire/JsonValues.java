package io.vxcable.session.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text read into plain Java values, for the binary encodings that re-encode what the
 * application wrote as JSON (a broadcast's message, a transmission): objects as {@link Map}s in
 * field order, arrays as {@link List}s, strings, booleans, null, whole numbers as {@link Long} (or
 * {@link java.math.BigInteger} past its range) and the others as {@link Double}.
 */
final class JsonValues {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonValues() {}

  /** Exactly one JSON value (surrounding white space allowed). */
  static Object read(byte[] utf8) throws IOException {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      return readDocument(p);
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The same from text. */
  static Object read(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return readDocument(p);
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Object readDocument(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw new IOException("no JSON value");
    }
    Object value = value(p, first);
    if (p.nextToken() != null) {
      throw new IOException("trailing data after the JSON value");
    }
    return value;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          map.put(key, value(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(p, next));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected JSON token " + t);
    }
  }
}
