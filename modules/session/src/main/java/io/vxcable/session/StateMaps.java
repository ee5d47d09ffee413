package io.vxcable.session;

import java.util.HashMap;
import java.util.Map;

/** AnyCable's state-change rule, for connection and channel state alike. */
final class StateMaps {

  private StateMaps() {}

  /**
   * {@code state} with {@code changes} applied (an empty value deletes the key), as a new immutable
   * map: state changes are rare and every session keeps its maps for its whole life, where an
   * immutable map of two entries takes about a hundred bytes less than a HashMap. Returns
   * {@code state} itself (possibly null) when there is nothing to change.
   */
  static Map<String, String> merge(Map<String, String> state, Map<String, String> changes) {
    if (changes.isEmpty()) {
      return state;
    }
    Map<String, String> target = state == null ? new HashMap<>(changes.size() * 2) : new HashMap<>(state);
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        target.remove(e.getKey());
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
    return Map.copyOf(target);
  }
}
