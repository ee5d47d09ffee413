package io.vxcable.broker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last position this broker stamped of each stream, named once the stream has been quiet for
 * {@link #QUIET_MS}: a gateway that missed the live copy of a stream's last message (lost on the
 * bus between two nodes that both stay up) sees from these heads that it is behind and reads the
 * rest from history ({@code cable.events.resync} with {@code {"heads":…}}). One entry per stream
 * and burst, sent in batches; streams are kept in the order of their last publication, so finding
 * the quiet ones reads only those. Owned by the broker's event loop.
 */
final class QuietHeads {

  /** How long a stream goes without a publication before its head is named. */
  static final long QUIET_MS = 1000;
  /** Most heads in one batch; more go in the next. */
  static final int MAX_BATCH = 10_000;
  /** Most streams remembered; past it the oldest is named early. */
  static final int MAX_STREAMS = 100_000;

  private record Head(String epoch, long offset, long at) { }

  /** In access order: a stream's new publication moves it to the end, behind those quiet longer. */
  private final LinkedHashMap<String, Head> recent = new LinkedHashMap<>(16, 0.75f, true);

  /** Remembers a stamped publication (transient ones, without an offset, are not). */
  void note(StreamBroadcast stamped, long now) {
    if (stamped.getOffset() <= 0) {
      return;
    }
    recent.put(stamped.getStream(), new Head(stamped.getEpoch(), stamped.getOffset(), now));
  }

  /** The heads of the streams quiet since {@code now - QUIET_MS} (forgotten here), or null if none. */
  JsonObject due(long now) {
    JsonObject heads = null;
    Iterator<Map.Entry<String, Head>> it = recent.entrySet().iterator();
    int n = 0;
    while (it.hasNext() && n < MAX_BATCH) {
      Map.Entry<String, Head> e = it.next();
      Head h = e.getValue();
      if (h.at() > now - QUIET_MS && recent.size() <= MAX_STREAMS) {
        break;
      }
      if (heads == null) {
        heads = new JsonObject();
      }
      heads.put(e.getKey(), new JsonArray().add(h.epoch()).add(h.offset()));
      it.remove();
      n++;
    }
    return heads;
  }

  int size() {
    return recent.size();
  }
}
