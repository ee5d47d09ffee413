package io.vxcable.session;

import io.vxcable.session.spi.Reply;
import io.vxcable.session.spi.WireProtocol;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Ping frames, shared: every session of one protocol pinged within the same clock unit gets the
 * same bytes, so a tick that pings thousands of sessions encodes one frame per protocol and
 * precision. Owned by one engine's event loop.
 */
final class PingFrames {

  static final int PRECISION_S = 0;
  static final int PRECISION_MS = 1;
  static final int PRECISION_NS = 2;

  /** The last timestamp and frame per precision, for one protocol. */
  private static final class Cache {
    final long[] last = {-1, -1, -1};
    final byte[][] frames = new byte[3][];
  }

  private final Map<WireProtocol, Cache> caches = new IdentityHashMap<>(4);

  /** {@code ms} and {@code ns} select those units; anything else means seconds. */
  static int precision(String value) {
    if ("ms".equals(value)) {
      return PRECISION_MS;
    }
    if ("ns".equals(value)) {
      return PRECISION_NS;
    }
    return PRECISION_S;
  }

  byte[] frame(WireProtocol protocol, int precision) {
    Cache cache = caches.computeIfAbsent(protocol, p -> new Cache());
    long ts = timestamp(precision);
    if (ts != cache.last[precision]) {
      cache.last[precision] = ts;
      cache.frames[precision] = protocol.encode(new Reply.Ping(ts));
    }
    return cache.frames[precision];
  }

  static long timestamp(int precision) {
    switch (precision) {
      case PRECISION_MS:
        return System.currentTimeMillis();
      case PRECISION_NS:
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      default:
        return System.currentTimeMillis() / 1000;
    }
  }
}
