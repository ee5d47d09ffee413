package io.vxcable.broker;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongBiFunction;

/** What every backend does with one {@link Broker#append} call before and after storing it. */
final class Batches {

  private Batches() {}

  /** The stored form of each non-transient message, by stream, streams in first-seen order. */
  static Map<String, List<byte[]>> byStream(List<StreamBroadcast> messages, Function<StreamBroadcast, byte[]> stored) {
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    for (StreamBroadcast m : messages) {
      if (!m.getTransient()) {
        out.computeIfAbsent(m.getStream(), k -> new ArrayList<>()).add(stored.apply(m));
      }
    }
    return out;
  }

  /** Each non-transient message's tag (null: none), by stream, in {@link #byStream}'s order. */
  static Map<String, List<String>> tagsByStream(List<StreamBroadcast> messages, List<String> tags) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      StreamBroadcast m = messages.get(i);
      if (!m.getTransient()) {
        out.computeIfAbsent(m.getStream(), k -> new ArrayList<>()).add(tags == null ? null : tags.get(i));
      }
    }
    return out;
  }

  /**
   * The messages in their order, each non-transient one stamped with {@code epoch} and the offset
   * {@code offset.applyAsLong(stream, i)} gives for the i-th (from 0) message of its stream.
   */
  static List<StreamBroadcast> stamp(List<StreamBroadcast> messages, String epoch, ToLongBiFunction<String, Integer> offset) {
    Map<String, Integer> seen = new HashMap<>();
    List<StreamBroadcast> out = new ArrayList<>(messages.size());
    for (StreamBroadcast m : messages) {
      if (m.getTransient()) {
        out.add(m);
      } else {
        int i = seen.merge(m.getStream(), 1, Integer::sum) - 1;
        out.add(m.toBuilder().setEpoch(epoch).setOffset(offset.applyAsLong(m.getStream(), i)).build());
      }
    }
    return out;
  }
}
