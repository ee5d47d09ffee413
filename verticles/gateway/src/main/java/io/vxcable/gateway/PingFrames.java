package io.vxcable.gateway;

import io.vxcable.protocol.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Ping frames, shared: every session pinged within the same clock unit gets the same bytes, so a
 * tick that pings thousands of sessions encodes one frame per precision.
 */
final class PingFrames {

  private final long[] last = {-1, -1, -1};
  private final byte[][] frames = new byte[3][];

  /** {@code ms} and {@code ns} select those units; anything else means seconds. */
  static int precision(String value) {
    if ("ms".equals(value)) {
      return Session.PRECISION_MS;
    }
    if ("ns".equals(value)) {
      return Session.PRECISION_NS;
    }
    return Session.PRECISION_S;
  }

  byte[] frame(int precision) {
    long ts = timestamp(precision);
    if (ts != last[precision]) {
      last[precision] = ts;
      frames[precision] = Replies.ping(ts).getBytes(StandardCharsets.UTF_8);
    }
    return frames[precision];
  }

  static long timestamp(int precision) {
    switch (precision) {
      case Session.PRECISION_MS:
        return System.currentTimeMillis();
      case Session.PRECISION_NS:
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      default:
        return System.currentTimeMillis() / 1000;
    }
  }
}
