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
  private final Map<String, Set<Session>> byIdentifiers = new HashMap<>();
  private final Metrics.KeyCount uniqueIdentifiers;
  private int identified;

  SessionRegistry(Metrics.KeyCount uniqueIdentifiers) {
    this.uniqueIdentifiers = uniqueIdentifiers;
  }

  void opened(Session s) {
    sessions.add(s);
  }

  /** An authenticated session, findable by its identifiers from now on. */
  void identified(Session s) {
    Set<Session> set = byIdentifiers.get(s.identifiers());
    if (set == null) {
      set = new HashSet<>(2);
      byIdentifiers.put(s.identifiers(), set);
      uniqueIdentifiers.add(s.identifiers(), this);
    }
    if (set.add(s)) {
      identified++;
    }
  }

  void closed(Session s) {
    sessions.remove(s);
    if (s.identifiers() != null) {
      Set<Session> set = byIdentifiers.get(s.identifiers());
      if (set != null && set.remove(s)) {
        identified--;
        if (set.isEmpty()) {
          byIdentifiers.remove(s.identifiers());
          uniqueIdentifiers.remove(s.identifiers(), this);
        }
      }
    }
  }

  /** Sessions whose identifiers string equals {@code identifiers} exactly. */
  List<Session> byIdentifiers(String identifiers) {
    Set<Session> set = byIdentifiers.get(identifiers);
    return set == null ? List.of() : new ArrayList<>(set);
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
