package io.vxcable.session;

import java.util.HashMap;
import java.util.Map;

/** AnyCable's state-change rule, for connection and channel state alike. */
final class StateMaps {

  private StateMaps() {}

  /**
   * Applies {@code changes} to {@code state} (created on first use): an empty value deletes the
   * key. Returns the map to keep, possibly still null when nothing was set.
   */
  static Map<String, String> merge(Map<String, String> state, Map<String, String> changes) {
    if (changes.isEmpty()) {
      return state;
    }
    Map<String, String> target = state == null ? new HashMap<>(4) : state;
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        target.remove(e.getKey());
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
    return target;
  }
}
