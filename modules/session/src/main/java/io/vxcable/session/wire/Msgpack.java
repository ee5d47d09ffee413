package io.vxcable.session.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vxcable.protocol.ProtocolException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.value.Value;

/**
 * Msgpack for the binary encodings: plain values (as {@link JsonValues} reads them) packed, and a
 * client's msgpack value written back as the compact JSON the engine passes on (a whisper's data,
 * a presence record's info).
 */
final class Msgpack {

  private static final JsonFactory JSON = new JsonFactory();
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** Client frames: a string that is not UTF-8 makes the frame malformed, as in JSON. */
  static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig()
      .withActionOnMalformedString(CodingErrorAction.REPORT)
      .withActionOnUnmappableString(CodingErrorAction.REPORT);

  private Msgpack() {}

  /** A new in-memory packer (the encodings build each frame in one). */
  static MessageBufferPacker packer() {
    return MessagePack.newDefaultBufferPacker();
  }

  /** A new in-memory packer whose first buffer holds {@code sizeHint} bytes. */
  static MessageBufferPacker packer(int sizeHint) {
    return new MessagePack.PackerConfig().withBufferSize(Math.max(64, sizeHint)).newBufferPacker();
  }

  /** One plain value packed. */
  static byte[] bytes(Object plain) {
    try (MessageBufferPacker out = packer()) {
      pack(out, plain);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A string packed (a key or an identifier written into many frames). */
  static byte[] string(String s) {
    return bytes(s);
  }

  /**
   * Packs a plain value: maps (string keys), lists, strings, booleans, null, whole numbers as
   * msgpack integers (past 64 bits as a float, as a JSON number then is) and others as float 64.
   */
  static void pack(MessagePacker out, Object v) throws IOException {
    if (v == null) {
      out.packNil();
    } else if (v instanceof String s) {
      out.packString(s);
    } else if (v instanceof Map<?, ?> map) {
      out.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.packString(String.valueOf(e.getKey()));
        pack(out, e.getValue());
      }
    } else if (v instanceof List<?> list) {
      out.packArrayHeader(list.size());
      for (Object item : list) {
        pack(out, item);
      }
    } else if (v instanceof Boolean b) {
      out.packBoolean(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      out.packLong(((Number) v).longValue());
    } else if (v instanceof BigInteger big) {
      if (big.signum() >= 0 ? big.compareTo(UINT64_MAX) <= 0 : big.bitLength() < 64) {
        out.packBigInteger(big);
      } else {
        out.packDouble(big.doubleValue());
      }
    } else if (v instanceof Number n) {
      out.packDouble(n.doubleValue());
    } else {
      throw new IllegalArgumentException("not a plain value: " + v.getClass().getName());
    }
  }

  /** An unsigned 64-bit number (a stream offset) packed as a msgpack unsigned integer. */
  static void packUnsigned(MessagePacker out, long value) throws IOException {
    if (value >= 0) {
      out.packLong(value);
    } else {
      out.packBigInteger(new BigInteger(Long.toUnsignedString(value)));
    }
  }

  /**
   * A client's msgpack value as compact JSON. Binary becomes a base64 string (as Go's JSON encoder
   * writes bytes); an extension type, a map key that is not a string, or a float JSON cannot write
   * (NaN, infinity) makes the frame malformed.
   */
  static String json(Value v) throws ProtocolException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      write(g, v);
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException("msgpack value without a JSON form: " + e.getMessage());
    }
    return text.toString();
  }

  private static void write(JsonGenerator g, Value v) throws IOException, ProtocolException {
    switch (v.getValueType()) {
      case NIL -> g.writeNull();
      case BOOLEAN -> g.writeBoolean(v.asBooleanValue().getBoolean());
      case INTEGER -> {
        if (v.asIntegerValue().isInLongRange()) {
          g.writeNumber(v.asIntegerValue().asLong());
        } else {
          g.writeNumber(v.asIntegerValue().asBigInteger());
        }
      }
      case FLOAT -> {
        double d = v.asFloatValue().toDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new ProtocolException("a float JSON cannot carry: " + d);
        }
        g.writeNumber(d);
      }
      case STRING -> g.writeString(v.asStringValue().asString());
      case BINARY -> g.writeString(Base64.getEncoder().encodeToString(v.asBinaryValue().asByteArray()));
      case ARRAY -> {
        g.writeStartArray();
        for (Value item : v.asArrayValue()) {
          write(g, item);
        }
        g.writeEndArray();
      }
      case MAP -> {
        g.writeStartObject();
        Value[] kv = v.asMapValue().getKeyValueArray();
        for (int i = 0; i < kv.length; i += 2) {
          if (!kv[i].isStringValue()) {
            throw new ProtocolException("a map key must be a string");
          }
          g.writeFieldName(kv[i].asStringValue().asString());
          write(g, kv[i + 1]);
        }
        g.writeEndObject();
      }
      default -> throw new ProtocolException("msgpack extension types have no JSON form");
    }
  }
}
