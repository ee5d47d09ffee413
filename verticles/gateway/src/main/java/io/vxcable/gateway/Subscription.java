package io.vxcable.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One channel subscription of a session: its streams and its channel state (istate). */
final class Subscription {

  final String identifier;
  final List<String> streams = new ArrayList<>(1);
  private Map<String, String> istate;

  Subscription(String identifier) {
    this.identifier = identifier;
  }

  String state(String key) {
    return istate == null ? null : istate.get(key);
  }

  Map<String, String> istate() {
    return istate == null ? Map.of() : istate;
  }

  /** Merges changes; an empty value deletes the key. */
  void mergeState(Map<String, String> changes) {
    istate = StateMaps.merge(istate, changes);
  }
}
