package io.vxcable.session;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Live broadcasts of one subscription held back while its history is being replayed, so a client
 * reads what it missed first and what is new after it, each message once: without it, a message
 * published during the replay reaches the client before the older ones the replay brings, and a
 * client that drops anything at or below the last offset it saw (as AnyCable's clients do) loses
 * the whole replayed window. On release, a held message the replay already carried is dropped.
 * Bounded: past {@code maxBytes} the gate opens at once (order is then the client's problem, memory
 * is not the server's).
 */
final class ReplayGate {

  /** A stream position a replay carried, per stream. */
  record Position(String epoch, long offset) {}

  private record Held(byte[] frame, String stream, String epoch, long offset) {}

  private final long deadline;
  private final long maxBytes;
  private final List<Held> held = new ArrayList<>();
  private long bytes;

  /**
   * @param deadline when to open without a replay (engine clock); 0 = only when released
   * @param maxBytes held bytes past which the gate gives up; 0 = unbounded
   */
  ReplayGate(long deadline, long maxBytes) {
    this.deadline = deadline;
    this.maxBytes = maxBytes;
  }

  long deadline() {
    return deadline;
  }

  /** Holds a live frame; false when the gate is full (the caller releases it and sends the frame). */
  boolean hold(StreamBroadcast m, byte[] frame) {
    if (maxBytes > 0 && bytes + frame.length > maxBytes) {
      return false;
    }
    held.add(new Held(frame, m.getStream(), m.getEpoch(), m.getOffset()));
    bytes += frame.length;
    return true;
  }

  /** The held frames to send now, in arrival order, without those the replay already carried. */
  List<byte[]> release(Map<String, Position> replayed) {
    List<byte[]> out = new ArrayList<>(held.size());
    for (Held h : held) {
      Position p = replayed.get(h.stream());
      boolean carried = p != null && !h.epoch().isEmpty() && h.epoch().equals(p.epoch()) && h.offset() <= p.offset();
      if (!carried) {
        out.add(h.frame());
      }
    }
    held.clear();
    bytes = 0;
    return out;
  }
}
