package io.vxcable.session;

import io.vxcable.contracts.bus.StreamBroadcast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What stands between one subscription's live broadcasts and its client around a history replay,
 * so the client reads what it missed first and what is new after it, each message once.
 *
 * <p>While the replay is coming the gate <em>holds</em> live broadcasts: without it, a message
 * published during the replay reaches the client before the older ones the replay brings, and a
 * client that drops anything at or below the last offset it saw (as AnyCable's clients do) loses
 * the whole replayed window. On release, a held message the replay already carried is dropped.
 * Bounded: past {@code maxBytes} the gate opens at once (order is then the client's problem,
 * memory is not the server's).
 *
 * <p>After the replay the gate keeps a <em>floor</em> per stream, the last position the replay
 * sent, and drops live copies at or below it until a later one arrives: in a cluster the history
 * read can see a message before the bus brings its live copy to this node.
 */
final class ReplayGate {

  /** A stream position a replay carried, per stream. */
  record Position(String epoch, long offset) {}

  private record Held(byte[] frame, String stream, String epoch, long offset) {}

  private final long maxBytes;
  private final List<Held> held = new ArrayList<>();
  private boolean holding;
  private long deadline;
  private long bytes;
  private Map<String, Position> floors;

  /** @param maxBytes held bytes past which the gate gives up; 0 = unbounded */
  ReplayGate(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Starts holding, until {@link #release} or, when {@code deadline} is set, until then (engine
   * clock). A replay starting on a gate already holding until a deadline holds until it is done.
   */
  void hold(long deadline) {
    if (!holding) {
      holding = true;
      this.deadline = deadline;
    } else if (deadline == 0) {
      this.deadline = 0;
    }
  }

  boolean holding() {
    return holding;
  }

  /** When a holding gate opens by itself; 0 = only when released. */
  long deadline() {
    return holding ? deadline : 0;
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

  /**
   * Whether a live message of an open gate is a copy of one the replay sent; the floor of its
   * stream goes once a later message (or one of another epoch) passes.
   */
  boolean alreadySent(StreamBroadcast m) {
    Position floor = floors == null ? null : floors.get(m.getStream());
    if (floor == null || m.getEpoch().isEmpty()) {
      return false;
    }
    if (m.getEpoch().equals(floor.epoch()) && m.getOffset() <= floor.offset()) {
      return true;
    }
    floors.remove(m.getStream());
    return false;
  }

  /** Neither holding nor guarding a floor: the gate can go. */
  boolean idle() {
    return !holding && (floors == null || floors.isEmpty());
  }

  /**
   * Opens the gate: the held frames to send now, in arrival order, without those the replay
   * already carried ({@code replayed}: per stream, the last position sent), which become the floors.
   */
  List<byte[]> release(Map<String, Position> replayed) {
    holding = false;
    deadline = 0;
    if (!replayed.isEmpty()) {
      floors = new HashMap<>(replayed);
    }
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
