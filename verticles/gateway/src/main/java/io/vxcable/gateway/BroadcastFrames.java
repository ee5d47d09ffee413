package io.vxcable.gateway;

import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.JsonText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a broadcast as the data frame of one identifier, in anycable-go's field order:
 * {@code {"type":..,"identifier":..,"message":..,"stream_id":..,"epoch":..,"offset":..}} with the
 * optional fields omitted. The message bytes are copied as they are: they were validated once at
 * intake.
 */
final class BroadcastFrames {

  private static final byte[] TYPE = bytes("{\"type\":");
  private static final byte[] IDENTIFIER_FIRST = bytes("{\"identifier\":");
  private static final byte[] IDENTIFIER_NEXT = bytes(",\"identifier\":");
  private static final byte[] MESSAGE = bytes(",\"message\":");
  private static final byte[] STREAM_ID = bytes(",\"stream_id\":");
  private static final byte[] EPOCH = bytes(",\"epoch\":");
  private static final byte[] OFFSET = bytes(",\"offset\":");

  private BroadcastFrames() {}

  /** The quoted identifier, computed once per subscriber group. */
  static byte[] quote(String identifier) {
    return bytes(JsonText.quote(identifier));
  }

  static byte[] encode(byte[] quotedIdentifier, StreamBroadcast m, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + quotedIdentifier.length + 64);
    String type = m.getBroadcastType();
    if (!type.isEmpty()) {
      out.writeBytes(TYPE);
      out.writeBytes(bytes(JsonText.quote(type)));
      out.writeBytes(IDENTIFIER_NEXT);
    } else {
      out.writeBytes(IDENTIFIER_FIRST);
    }
    out.writeBytes(quotedIdentifier);
    out.writeBytes(MESSAGE);
    out.writeBytes(message);
    if (!m.getEpoch().isEmpty()) {
      out.writeBytes(STREAM_ID);
      out.writeBytes(bytes(JsonText.quote(m.getStream())));
      out.writeBytes(EPOCH);
      out.writeBytes(bytes(JsonText.quote(m.getEpoch())));
      if (m.getOffset() != 0) {
        out.writeBytes(OFFSET);
        out.writeBytes(bytes(Long.toUnsignedString(m.getOffset())));
      }
    }
    out.write('}');
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
