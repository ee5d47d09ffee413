package io.vxcable.session.ds;

import io.vertx.core.buffer.Buffer;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.protocol.JsonText;
import java.util.List;
import java.util.Map;

/**
 * The bytes and headers of Durable Streams responses, as anycable-go writes them: a JSON array of
 * the publications' data joined verbatim (the intake made each one a JSON value), and SSE events
 * {@code event: data} / {@code event: control} with no space after {@code data:}.
 */
final class DsFormat {

  static final String NEXT_OFFSET = "Stream-Next-Offset";
  static final String UP_TO_DATE = "Stream-Up-To-Date";
  static final String CURSOR = "Stream-Cursor";

  /**
   * HEAD answers: the tail must not be cached. {@code nosniff} is ours (the Durable Streams
   * protocol asks for it on every read; anycable-go sends it on GET only).
   */
  static final Map<String, String> HEAD = Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
      "X-Content-Type-Options", "nosniff");

  /** Catch-up and long-poll answers. */
  static final Map<String, String> JSON = Map.of(
      "Content-Type", "application/json",
      "Cache-Control", "public, max-age=60, stale-while-revalidate=300",
      "X-Content-Type-Options", "nosniff");

  /** SSE answers ({@code Connection: keep-alive} is added for HTTP/1). */
  static final Map<String, String> SSE = Map.of(
      "Content-Type", "text/event-stream",
      "Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0",
      "X-Content-Type-Options", "nosniff",
      "X-Accel-Buffering", "no");

  private DsFormat() {}

  /** {@code [<data>,<data>,...]}. */
  static Buffer jsonArray(List<StreamBroadcast> messages) {
    Buffer out = Buffer.buffer(2 + messages.size() * 64);
    out.appendByte((byte) '[');
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBytes(messages.get(i).getMessage().toByteArray());
    }
    return out.appendByte((byte) ']');
  }

  /**
   * {@code event: data} carrying the messages as one JSON array. A line break between JSON tokens
   * (pretty-printed data) starts another {@code data:} line, which a reader joins back with a line
   * feed: the value stays the same JSON and cannot end the event early.
   */
  static Buffer dataEvent(List<StreamBroadcast> messages) {
    String json = jsonArray(messages).toString();
    StringBuilder sb = new StringBuilder(json.length() + 24).append("event: data\ndata:");
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < json.length() && json.charAt(i + 1) == '\n') {
          i++;
        }
        sb.append("\ndata:");
      } else {
        sb.append(c);
      }
    }
    return Buffer.buffer(sb.append("\n\n").toString());
  }

  /** {@code event: control} with the next offset, the cursor and, when caught up, {@code upToDate}. */
  static Buffer controlEvent(String nextOffset, String cursor, boolean upToDate) {
    StringBuilder sb = new StringBuilder(96).append("event: control\ndata:{\"streamNextOffset\":");
    JsonText.appendQuoted(sb, nextOffset);
    if (!cursor.isEmpty()) {
      sb.append(",\"streamCursor\":");
      JsonText.appendQuoted(sb, cursor);
    }
    if (upToDate) {
      sb.append(",\"upToDate\":true");
    }
    return Buffer.buffer(sb.append("}\n\n").toString());
  }
}
