package io.vxcable.session;

import io.vxcable.observability.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sessions of one engine, and the authenticated ones by their identifiers string (remote
 * disconnects match it exactly). Single-threaded: owned by the engine's event loop.
 */
final class SessionRegistry {

  private final Set<Session> sessions = new HashSet<>();
  /**
   * A session alone, or a {@code Set<Session>} once several share an identifiers string: most
   * identifiers name one session, and a set of one would cost about 130 bytes per connection.
   */
  private final Map<String, Object> byIdentifiers = new HashMap<>();
  private final Metrics.KeyCount uniqueIdentifiers;
  private int identified;

  SessionRegistry(Metrics.KeyCount uniqueIdentifiers) {
    this.uniqueIdentifiers = uniqueIdentifiers;
  }

  void opened(Session s) {
    sessions.add(s);
  }

  /** An authenticated session, findable by its identifiers from now on. */
  @SuppressWarnings("unchecked")
  void identified(Session s) {
    String id = s.identifiers();
    Object held = byIdentifiers.get(id);
    if (held == null) {
      byIdentifiers.put(id, s);
      uniqueIdentifiers.add(id, this);
      identified++;
    } else if (held instanceof Session other) {
      if (other != s) {
        Set<Session> set = new HashSet<>(4);
        set.add(other);
        set.add(s);
        byIdentifiers.put(id, set);
        identified++;
      }
    } else if (((Set<Session>) held).add(s)) {
      identified++;
    }
  }

  @SuppressWarnings("unchecked")
  void closed(Session s) {
    sessions.remove(s);
    String id = s.identifiers();
    if (id == null) {
      return;
    }
    Object held = byIdentifiers.get(id);
    if (held == s) {
      byIdentifiers.remove(id);
      uniqueIdentifiers.remove(id, this);
      identified--;
    } else if (held instanceof Set<?> set && set.remove(s)) {
      identified--;
      if (set.size() == 1) {
        byIdentifiers.put(id, ((Set<Session>) set).iterator().next());
      }
    }
  }

  /** Sessions whose identifiers string equals {@code identifiers} exactly (a copy). */
  @SuppressWarnings("unchecked")
  List<Session> byIdentifiers(String identifiers) {
    Object held = byIdentifiers.get(identifiers);
    if (held == null) {
      return List.of();
    }
    return held instanceof Session one ? List.of(one) : new ArrayList<>((Set<Session>) held);
  }

  List<Session> all() {
    return new ArrayList<>(sessions);
  }

  /** Authenticated sessions (anycable-go's {@code clients_num}). */
  int identifiedCount() {
    return identified;
  }

  int size() {
    return sessions.size();
  }

  boolean isEmpty() {
    return sessions.isEmpty();
  }
}
