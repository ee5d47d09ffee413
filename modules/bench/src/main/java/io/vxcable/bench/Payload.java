package io.vxcable.bench;

/**
 * The broadcast payload {@code {"seq":N,"t":NANOS}}: the publisher's {@link System#nanoTime()} at
 * send, read back by the receiver without a JSON parser (the load generator must stay cheap).
 */
final class Payload {

  private Payload() {}

  static String json(long seq, long nanos) {
    return "{\"seq\":" + seq + ",\"t\":" + nanos + "}";
  }

  /** The publication body for {@code /_broadcast}: the payload as the {@code data} string. */
  static String publication(String stream, long seq, long nanos) {
    return publication(stream, seq, nanos, "");
  }

  /** The same with a {@code "pad"} field after the payload's own (a realistic message size). */
  static String publication(String stream, long seq, long nanos, String pad) {
    String json = pad.isEmpty() ? json(seq, nanos) : "{\"seq\":" + seq + ",\"t\":" + nanos + ",\"pad\":" + Protocol.quote(pad) + "}";
    return "{\"stream\":" + Protocol.quote(stream) + ",\"data\":" + Protocol.quote(json) + "}";
  }

  /**
   * {@code bytes} of chat-like text (words from a small vocabulary, as real messages repeat
   * themselves): what {@code --padding} adds to each broadcast.
   */
  static String padding(int bytes) {
    String[] words = {"user", "joined", "the", "room", "message", "sent", "at", "hello", "world", "status", "online",
        "typing", "read", "delivered", "channel", "update"};
    StringBuilder sb = new StringBuilder(bytes + 16);
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append(words[(i * 7 + i / 3) % words.length]).append(' ');
    }
    sb.setLength(bytes);
    return sb.toString();
  }

  /** The unsigned number after {@code "key":}, or -1. */
  static long field(String frame, String key) {
    String needle = "\"" + key + "\":";
    int i = frame.indexOf(needle);
    if (i < 0) {
      return -1;
    }
    i += needle.length();
    long v = 0;
    boolean any = false;
    for (; i < frame.length(); i++) {
      char c = frame.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      v = v * 10 + (c - '0');
      any = true;
    }
    return any ? v : -1;
  }

  private static final byte[] T_FIELD = "\"t\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The same for {@code "t":} in a frame's bytes, without making a string of them. */
  static long sentAt(byte[] a, int off, int len) {
    int end = off + len - T_FIELD.length;
    outer:
    for (int i = off; i <= end; i++) {
      for (int j = 0; j < T_FIELD.length; j++) {
        if (a[i + j] != T_FIELD[j]) {
          continue outer;
        }
      }
      long v = 0;
      boolean any = false;
      for (int k = i + T_FIELD.length; k < off + len && a[k] >= '0' && a[k] <= '9'; k++) {
        v = v * 10 + (a[k] - '0');
        any = true;
      }
      return any ? v : -1;
    }
    return -1;
  }
}
