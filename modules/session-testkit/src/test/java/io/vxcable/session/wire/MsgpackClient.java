package io.vxcable.session.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The client side of msgpack in the tests, as {@code @ygoe/msgpack} behaves for
 * {@code @anycable/core}: plain values packed (maps, lists, strings, whole numbers as integers,
 * booleans, null), frames read back into plain values; and {@link #golden} to spell expected bytes
 * by hand, without the library under test.
 */
final class MsgpackClient {

  private MsgpackClient() {}

  static byte[] pack(Object value) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      pack(out, value);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pack(MessageBufferPacker out, Object v) throws IOException {
    if (v == null) {
      out.packNil();
    } else if (v instanceof String s) {
      out.packString(s);
    } else if (v instanceof Map<?, ?> m) {
      out.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.packString((String) e.getKey());
        pack(out, e.getValue());
      }
    } else if (v instanceof List<?> l) {
      out.packArrayHeader(l.size());
      for (Object item : l) {
        pack(out, item);
      }
    } else if (v instanceof Boolean b) {
      out.packBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      out.packLong(((Number) v).longValue());
    } else if (v instanceof Double d) {
      out.packDouble(d);
    } else if (v instanceof byte[] bin) {
      out.packBinaryHeader(bin.length).writePayload(bin);
    } else {
      throw new IllegalArgumentException(v.getClass().getName());
    }
  }

  /** One msgpack value (the whole frame) as plain values. */
  static Object unpack(byte[] frame) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
      Object v = plain(in.unpackValue());
      if (in.hasNext()) {
        throw new IllegalStateException("trailing bytes");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object plain(Value v) {
    switch (v.getValueType()) {
      case NIL:
        return null;
      case BOOLEAN:
        return v.asBooleanValue().getBoolean();
      case INTEGER:
        return v.asIntegerValue().isInLongRange() ? (Object) v.asIntegerValue().asLong() : v.asIntegerValue().asBigInteger();
      case FLOAT:
        return v.asFloatValue().toDouble();
      case STRING:
        return v.asStringValue().asString();
      case BINARY:
        return v.asBinaryValue().asByteArray();
      case ARRAY:
        List<Object> list = new ArrayList<>();
        v.asArrayValue().forEach(item -> list.add(plain(item)));
        return list;
      case MAP:
        Map<String, Object> map = new LinkedHashMap<>();
        Value[] kv = v.asMapValue().getKeyValueArray();
        for (int i = 0; i < kv.length; i += 2) {
          map.put(kv[i].asStringValue().asString(), plain(kv[i + 1]));
        }
        return map;
      default:
        throw new IllegalArgumentException("extension types are not plain values");
    }
  }

  /**
   * Bytes spelled by hand: an Integer is one byte, a String a msgpack fixstr (header and UTF-8),
   * a byte[] is copied.
   */
  static byte[] golden(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer b) {
        out.write(b);
      } else if (p instanceof String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 31) {
          throw new IllegalArgumentException("not a fixstr: " + s);
        }
        out.write(0xa0 | utf8.length);
        out.writeBytes(utf8);
      } else {
        out.writeBytes((byte[]) p);
      }
    }
    return out.toByteArray();
  }
}
