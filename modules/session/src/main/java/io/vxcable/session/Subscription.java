package io.vxcable.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One channel subscription of a session: its streams and its channel state (istate). */
public final class Subscription {

  final String identifier;
  final List<String> streams = new ArrayList<>(1);
  private Map<String, String> istate;

  Subscription(String identifier) {
    this.identifier = identifier;
  }

  public String identifier() {
    return identifier;
  }

  /** The streams the subscription listens to (a read-only view). */
  public List<String> streams() {
    return java.util.Collections.unmodifiableList(streams);
  }

  /** One key of the channel state; null when unset. */
  public String state(String key) {
    return istate == null ? null : istate.get(key);
  }

  public Map<String, String> istate() {
    return istate == null ? Map.of() : istate;
  }

  /** Merges changes; an empty value deletes the key. */
  void mergeState(Map<String, String> changes) {
    istate = StateMaps.merge(istate, changes);
  }
}
