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
    return "{\"stream\":" + Protocol.quote(stream) + ",\"data\":" + Protocol.quote(json(seq, nanos)) + "}";
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
}
