package io.vxcable.broker;

import io.vxcable.contracts.Addresses;
import java.util.BitSet;
import java.util.Collection;
import java.util.UUID;

/**
 * Which broker node owns which publish shard: rendezvous (highest random weight) hashing of each
 * shard over the live broker nodes. Every node computes the same answer from the same set, and a
 * node joining or leaving moves only the shards it gains or held (about 1/n of them).
 */
final class ShardOwners {

  private ShardOwners() {}

  /** The shards {@code self} owns among {@code brokers} (which should contain it). */
  static BitSet owned(UUID self, Collection<UUID> brokers) {
    BitSet out = new BitSet(Addresses.BROADCAST_SHARDS);
    for (int shard = 0; shard < Addresses.BROADCAST_SHARDS; shard++) {
      if (self.equals(owner(shard, brokers))) {
        out.set(shard);
      }
    }
    return out;
  }

  /** The owner of a shard, or null when there is no broker node. */
  static UUID owner(int shard, Collection<UUID> brokers) {
    UUID best = null;
    long bestWeight = 0;
    for (UUID node : brokers) {
      long w = weight(shard, node);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0
          || w == bestWeight && node.compareTo(best) < 0) {
        best = node;
        bestWeight = w;
      }
    }
    return best;
  }

  private static long weight(int shard, UUID node) {
    return mix(node.getMostSignificantBits() ^ mix(node.getLeastSignificantBits() + 0x9E3779B97F4A7C15L * (shard + 1)));
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
