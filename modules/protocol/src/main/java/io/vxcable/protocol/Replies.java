package io.vxcable.protocol;

import java.util.Collection;

/**
 * Server-to-client frames, byte-compatible with anycable-go: field order {@code type, identifier,
 * message, reason, reconnect, stream_id, epoch, offset, sid, restored, restored_ids}; empty,
 * false and zero fields omitted, except that disconnect messages always carry {@code reconnect}.
 */
public final class Replies {

  private static final String PONG = "{\"type\":\"pong\"}";

  private Replies() {}

  public static String welcome(String sid) {
    StringBuilder sb = new StringBuilder(48).append("{\"type\":\"welcome\",\"sid\":");
    JsonText.appendQuoted(sb, sid);
    return sb.append('}').toString();
  }

  public static String welcomeRestored(String sid, Collection<String> restoredIds) {
    StringBuilder sb = new StringBuilder(64).append("{\"type\":\"welcome\",\"sid\":");
    JsonText.appendQuoted(sb, sid);
    sb.append(",\"restored\":true");
    if (!restoredIds.isEmpty()) {
      sb.append(",\"restored_ids\":[");
      boolean first = true;
      for (String id : restoredIds) {
        if (!first) {
          sb.append(',');
        }
        JsonText.appendQuoted(sb, id);
        first = false;
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  public static String ping(long timestamp) {
    return "{\"type\":\"ping\",\"message\":" + timestamp + "}";
  }

  public static String pong() {
    return PONG;
  }

  public static String confirmSubscription(String identifier) {
    return typed("confirm_subscription", identifier);
  }

  public static String rejectSubscription(String identifier) {
    return typed("reject_subscription", identifier);
  }

  public static String confirmHistory(String identifier) {
    return typed("confirm_history", identifier);
  }

  public static String rejectHistory(String identifier) {
    return typed("reject_history", identifier);
  }

  public static String disconnect(String reason, boolean reconnect) {
    StringBuilder sb = new StringBuilder(64).append("{\"type\":\"disconnect\",\"reason\":");
    JsonText.appendQuoted(sb, reason);
    return sb.append(",\"reconnect\":").append(reconnect).append('}').toString();
  }

  public static String presenceError(String identifier) {
    StringBuilder sb = new StringBuilder(64).append("{\"type\":\"presence\",\"identifier\":");
    JsonText.appendQuoted(sb, identifier);
    return sb.append(",\"message\":{\"type\":\"error\",\"total\":0}}").toString();
  }

  /**
   * Reply to the {@code presence} command: {@link #presenceInfoMessage} as the message of the
   * subscription {@code identifier}.
   */
  public static String presenceInfo(String identifier, int total, java.util.List<String> recordsJson) {
    StringBuilder sb = new StringBuilder(96).append("{\"type\":\"presence\",\"identifier\":");
    JsonText.appendQuoted(sb, identifier);
    return sb.append(",\"message\":").append(presenceInfoMessage(total, recordsJson)).append('}').toString();
  }

  /**
   * {@code {"type":"info","total":N,"records":[..]}} (also the REST API's body); {@code recordsJson}
   * (each {@code {"info":..,"id":..}}) is omitted when null.
   */
  public static String presenceInfoMessage(int total, java.util.List<String> recordsJson) {
    StringBuilder sb = new StringBuilder(64).append("{\"type\":\"info\",\"total\":").append(total);
    if (recordsJson != null) {
      sb.append(",\"records\":[").append(String.join(",", recordsJson)).append(']');
    }
    return sb.append('}').toString();
  }

  /** One presence record, {@code {"info":..,"id":".."}}; the info key is left out when null. */
  public static String presenceRecord(String id, String infoJson) {
    StringBuilder sb = new StringBuilder(32).append('{');
    if (infoJson != null) {
      sb.append("\"info\":").append(infoJson).append(',');
    }
    sb.append("\"id\":");
    JsonText.appendQuoted(sb, id);
    return sb.append('}').toString();
  }

  /** A data message; {@code messageJson} is written verbatim. */
  public static String message(
      String identifier, String messageJson, String type, String streamId, String epoch, long offset) {
    StringBuilder sb = new StringBuilder(messageJson.length() + identifier.length() + 48);
    appendMessage(sb, JsonText.quote(identifier), messageJson, type, streamId, epoch, offset);
    return sb.toString();
  }

  /** Appends a data message with a pre-quoted identifier (encode-once fan-out). */
  public static void appendMessage(
      StringBuilder sb, String quotedIdentifier, String messageJson, String type, String streamId, String epoch,
      long offset) {
    sb.append('{');
    if (type != null && !type.isEmpty()) {
      sb.append("\"type\":");
      JsonText.appendQuoted(sb, type);
      sb.append(',');
    }
    sb.append("\"identifier\":").append(quotedIdentifier).append(",\"message\":").append(messageJson);
    if (epoch != null && !epoch.isEmpty()) {
      sb.append(",\"stream_id\":");
      JsonText.appendQuoted(sb, streamId == null ? "" : streamId);
      sb.append(",\"epoch\":");
      JsonText.appendQuoted(sb, epoch);
      if (offset != 0) {
        sb.append(",\"offset\":").append(Long.toUnsignedString(offset));
      }
    }
    sb.append('}');
  }

  private static String typed(String type, String identifier) {
    StringBuilder sb = new StringBuilder(identifier.length() + 48).append("{\"type\":\"").append(type)
        .append("\",\"identifier\":");
    JsonText.appendQuoted(sb, identifier);
    return sb.append('}').toString();
  }
}
