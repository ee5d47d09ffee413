package io.vxcable.session;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One session's {@link ReplayGate}s, by subscription identifier: what stands between live
 * broadcasts and the client while a history replay is coming. Created by the session on its first
 * replay; a gate goes once it has nothing left to do.
 */
final class LiveGates {

  private final long maxBytes;
  private final Consumer<byte[]> send;
  private final Map<String, ReplayGate> gates = new HashMap<>(2);

  // ---- a session's gates (created on its first hold, forgotten once empty) ----------------------

  /** Holds the subscription's live broadcasts until {@link #release} or, when set, {@code deadline}. */
  static void hold(Session s, String identifier, long deadline) {
    if (s.gates == null) {
      s.gates = new LiveGates(s.engine().options().maxPendingSize(), s::sendFrame);
    }
    s.gates.hold(identifier, deadline);
  }

  /** Sends what was held, without what the replay carried (per stream, the last position sent). */
  static void release(Session s, String identifier, Map<String, ReplayGate.Position> replayed) {
    if (s.gates != null) {
      s.gates.release(identifier, replayed);
      forgetIdle(s);
    }
  }

  /** Forgets what was held for a subscription that is gone. */
  static void drop(Session s, String identifier) {
    if (s.gates != null) {
      s.gates.drop(identifier);
      forgetIdle(s);
    }
  }

  /** The earliest deadline of a held subscription of the session; 0 when none. */
  static long nextDue(Session s) {
    return s.gates == null ? 0 : s.gates.nextDue();
  }

  /** Opens the session's gates whose deadline passed: no replay came for them. */
  static void releaseDue(Session s, long now) {
    if (s.gates != null) {
      s.gates.releaseDue(now);
      forgetIdle(s);
    }
  }

  static void forgetIdle(Session s) {
    if (s.gates != null && s.gates.isEmpty()) {
      s.gates = null;
    }
  }

  /** @param send writes a frame to the client (the session's slow-client check included) */
  LiveGates(long maxBytes, Consumer<byte[]> send) {
    this.maxBytes = maxBytes;
    this.send = send;
  }

  /**
   * Whether the subscription's gate takes this live frame (held for later, or dropped as a copy of
   * what a replay sent); false when the caller sends it now. A full gate opens first.
   */
  boolean intercept(String identifier, StreamBroadcast broadcast, byte[] frame) {
    ReplayGate gate = gates.get(identifier);
    if (gate == null) {
      return false;
    }
    if (gate.holding()) {
      if (gate.hold(broadcast, frame)) {
        return true;
      }
      // The gate is full: open it now and keep the order from here on.
      release(identifier, Map.of());
      return false;
    }
    boolean copy = gate.alreadySent(broadcast);
    if (gate.idle()) {
      gates.remove(identifier);
    }
    return copy;
  }

  /** Holds the subscription's live broadcasts until {@link #release} or, when set, {@code deadline}. */
  void hold(String identifier, long deadline) {
    gates.computeIfAbsent(identifier, id -> new ReplayGate(maxBytes)).hold(deadline);
  }

  /**
   * Sends what was held, without what the replay carried ({@code replayed}: per stream, the last
   * position sent), and drops live copies of those until later messages come.
   */
  void release(String identifier, Map<String, ReplayGate.Position> replayed) {
    ReplayGate gate = gates.get(identifier);
    if (gate == null) {
      return;
    }
    List<byte[]> frames = gate.release(replayed);
    if (gate.idle()) {
      gates.remove(identifier);
    }
    frames.forEach(send);
  }

  /** Forgets what was held for a subscription that is gone. */
  void drop(String identifier) {
    gates.remove(identifier);
  }

  /** No gate left: the session can let this go. */
  boolean isEmpty() {
    return gates.isEmpty();
  }

  /** The earliest deadline of a held subscription; 0 when none. */
  long nextDue() {
    long next = 0;
    for (ReplayGate g : gates.values()) {
      if (g.deadline() > 0 && (next == 0 || g.deadline() < next)) {
        next = g.deadline();
      }
    }
    return next;
  }

  /** Opens the gates whose deadline passed: no replay came for them. */
  void releaseDue(long now) {
    for (Map.Entry<String, ReplayGate> e : List.copyOf(gates.entrySet())) {
      if (e.getValue().deadline() > 0 && now >= e.getValue().deadline()) {
        release(e.getKey(), Map.of());
      }
    }
  }
}
