package io.vxcable.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import java.util.AbstractMap;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a {@code cable.events.resync} names: every stream (no body), the streams of some broadcast
 * shards (a {@link JsonArray} of shard numbers), or streams with the broker's last offset of each
 * ({@code {"heads":{"<stream>":["<epoch>",<offset>],...}}}), of which only those a gateway is
 * behind on are read.
 */
final class Resyncs {

  private Resyncs() {}

  /** Hands a resync to {@code order}: a read of the named streams, or of those behind their heads. */
  static void handle(Object body, LiveOrder order) {
    if (body instanceof JsonObject o && o.getValue("heads") instanceof JsonObject heads) {
      order.catchUp(heads(heads));
    } else {
      order.resync(streams(body));
    }
  }

  static Map<String, Map.Entry<String, Long>> heads(JsonObject heads) {
    Map<String, Map.Entry<String, Long>> out = new HashMap<>(heads.size() * 2);
    for (Map.Entry<String, Object> e : heads) {
      if (e.getValue() instanceof JsonArray a && a.size() == 2 && a.getValue(0) instanceof String epoch
          && a.getValue(1) instanceof Number offset) {
        out.put(e.getKey(), new AbstractMap.SimpleImmutableEntry<>(epoch, offset.longValue()));
      }
    }
    return out;
  }

  static Predicate<String> streams(Object body) {
    if (!(body instanceof JsonArray shards)) {
      return stream -> true;
    }
    BitSet named = new BitSet(Addresses.BROADCAST_SHARDS);
    for (Object shard : shards) {
      if (shard instanceof Number n && n.intValue() >= 0 && n.intValue() < Addresses.BROADCAST_SHARDS) {
        named.set(n.intValue());
      }
    }
    return stream -> named.get(Addresses.shardOf(stream));
  }
}
