package io.vxcable.presence;

import io.vertx.core.Future;
import io.vxcable.contracts.bus.PresenceRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The single-node presence, as anycable-go's memory broker. Not thread-safe: owned by one event
 * loop; every future it returns is already complete.
 */
public final class MemoryPresence implements Presence {

  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, StreamPresence> streams = new LinkedHashMap<>();
  /** The streams each session is in, for touches and clean-up. */
  private final Map<String, Set<String>> sessions = new HashMap<>();

  /**
   * @param ttlSeconds seconds a session stays present after its last join or touch
   * @param clock wall clock in milliseconds
   */
  public MemoryPresence(int ttlSeconds, LongSupplier clock) {
    this.ttlMs = ttlSeconds * 1000L;
    this.clock = clock;
  }

  @Override
  public Future<PresenceEvent> join(String stream, String sid, String id, byte[] info) {
    StreamPresence presence = streams.computeIfAbsent(stream, k -> new StreamPresence());
    StreamPresence.Joined joined = presence.join(sid, id, info, clock.getAsLong() + ttlMs);
    if (joined == StreamPresence.Joined.ID_MISMATCH) {
      return Future.failedFuture(new PresenceException(PresenceException.ID_MISMATCH));
    }
    sessions.computeIfAbsent(sid, k -> new LinkedHashSet<>()).add(stream);
    return Future.succeededFuture(joined == StreamPresence.Joined.NEW_ID ? PresenceEvent.join(stream, id, info) : null);
  }

  @Override
  public Future<PresenceEvent> leave(String stream, String sid) {
    StreamPresence presence = streams.get(stream);
    if (presence == null) {
      return Future.succeededFuture();
    }
    unlink(sid, stream);
    String left = presence.leave(sid);
    if (presence.isEmpty()) {
      streams.remove(stream);
    }
    return Future.succeededFuture(left == null ? null : PresenceEvent.leave(stream, left));
  }

  @Override
  public Future<List<PresenceRecord>> info(String stream) {
    StreamPresence presence = streams.get(stream);
    return Future.succeededFuture(presence == null ? List.of() : presence.records());
  }

  @Override
  public Future<Void> touch(Collection<String> sids) {
    long deadline = clock.getAsLong() + ttlMs;
    Map<String, List<String>> sidsByStream = new HashMap<>();
    for (String sid : sids) {
      for (String stream : sessions.getOrDefault(sid, Set.of())) {
        sidsByStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(sid);
      }
    }
    sidsByStream.forEach((stream, in) -> streams.get(stream).touch(in, deadline));
    return Future.succeededFuture();
  }

  @Override
  public Future<List<PresenceEvent>> expire() {
    long now = clock.getAsLong();
    List<PresenceEvent> events = new ArrayList<>();
    for (Iterator<Map.Entry<String, StreamPresence>> it = streams.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, StreamPresence> e = it.next();
      StreamPresence.Expired expired = e.getValue().expire(now);
      for (String sid : expired.sessions()) {
        unlink(sid, e.getKey());
      }
      for (String id : expired.leftIds()) {
        events.add(PresenceEvent.leave(e.getKey(), id));
      }
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
    return Future.succeededFuture(events);
  }

  int streamCount() {
    return streams.size();
  }

  int sessionCount() {
    return sessions.size();
  }

  private void unlink(String sid, String stream) {
    Set<String> in = sessions.get(sid);
    if (in != null && in.remove(stream) && in.isEmpty()) {
      sessions.remove(sid);
    }
  }
}
