package io.vxcable.session;

import io.vertx.core.json.JsonArray;
import io.vxcable.contracts.Addresses;
import java.util.BitSet;
import java.util.function.Predicate;

/** What a {@code cable.events.resync} names: every stream (no body) or the streams of some broadcast shards. */
final class Resyncs {

  private Resyncs() {}

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
