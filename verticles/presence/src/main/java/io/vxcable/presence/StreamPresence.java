package io.vxcable.presence;

import com.google.protobuf.ByteString;
import io.vxcable.contracts.bus.PresenceRecord;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream's presence: the rules every backend shares, as anycable-go's memory broker. A
 * presence id is present while at least one of its sessions is; each session has a deadline,
 * pushed back by a join or a touch, after which {@link #expire} removes it. Info is the latest
 * join's. Ids keep their first-join order. Deadlines and "now" are milliseconds from the caller's
 * clock, so replaying the same calls gives the same state. Not thread-safe.
 */
final class StreamPresence {

  /** What a join did. */
  enum Joined {
    /** The id was not present: publish a join event. */
    NEW_ID,
    /** The id was already present (this or another session): info replaced, no event. */
    KNOWN_ID,
    /** The session already holds another id on this stream: nothing changed. */
    ID_MISMATCH
  }

  /** What an expiry removed: the expired sessions and the ids that lost their last session. */
  record Expired(List<String> sessions, List<String> leftIds) {}

  private static final class Entry {
    byte[] info;
    final LinkedHashMap<String, Long> deadlines = new LinkedHashMap<>();

    Entry(byte[] info) {
      this.info = info;
    }
  }

  private final LinkedHashMap<String, Entry> ids = new LinkedHashMap<>();
  private final HashMap<String, String> idOfSession = new HashMap<>();
  /**
   * At most the earliest deadline: exact after {@link #expire} and {@link #readFrom}, kept a lower
   * bound by joins, touches and leaves in O(1), so a stream costs a full scan only when a deadline
   * may have passed.
   */
  private long nextDeadline = Long.MAX_VALUE;

  Joined join(String sid, String id, byte[] info, long deadline) {
    String held = idOfSession.get(sid);
    if (held != null && !held.equals(id)) {
      return Joined.ID_MISMATCH;
    }
    Entry entry = ids.get(id);
    Joined outcome = entry == null ? Joined.NEW_ID : Joined.KNOWN_ID;
    if (entry == null) {
      entry = new Entry(info);
      ids.put(id, entry);
    } else {
      entry.info = info;
    }
    entry.deadlines.put(sid, deadline);
    idOfSession.put(sid, id);
    nextDeadline = Math.min(nextDeadline, deadline);
    return outcome;
  }

  /** Removes the session; returns its id when that was the id's last session, else null. */
  String leave(String sid) {
    String id = idOfSession.remove(sid);
    if (id == null) {
      return null;
    }
    Entry entry = ids.get(id);
    entry.deadlines.remove(sid);
    if (entry.deadlines.isEmpty()) {
      ids.remove(id);
      return id;
    }
    return null;
  }

  /** Moves the deadline of those of {@code sids} that are here; returns whether any was. */
  boolean touch(Collection<String> sids, long deadline) {
    boolean any = false;
    for (String sid : sids) {
      String id = idOfSession.get(sid);
      if (id != null) {
        ids.get(id).deadlines.put(sid, deadline);
        nextDeadline = Math.min(nextDeadline, deadline);
        any = true;
      }
    }
    return any;
  }

  /** Removes the sessions whose deadline is before {@code now}. */
  Expired expire(long now) {
    if (!mayExpire(now)) {
      return new Expired(List.of(), List.of());
    }
    List<String> sessions = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Iterator<Map.Entry<String, Entry>> it = ids.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      for (Iterator<Map.Entry<String, Long>> s = e.getValue().deadlines.entrySet().iterator(); s.hasNext(); ) {
        Map.Entry<String, Long> session = s.next();
        if (now > session.getValue()) {
          s.remove();
          idOfSession.remove(session.getKey());
          sessions.add(session.getKey());
        }
      }
      if (e.getValue().deadlines.isEmpty()) {
        it.remove();
        left.add(e.getKey());
      }
    }
    recomputeNextDeadline();
    return new Expired(sessions, left);
  }

  /**
   * False when {@link #expire} at {@code now} certainly removes nothing; true when it may (and
   * then it also makes the next answer exact). Reads one field.
   */
  boolean mayExpire(long now) {
    return now > nextDeadline;
  }

  boolean isEmpty() {
    return ids.isEmpty();
  }

  /** Whether the session is here (under any id). */
  boolean holds(String sid) {
    return idOfSession.containsKey(sid);
  }

  /** The present ids with their info (a JSON text; empty = none), in first-join order. */
  List<PresenceRecord> records() {
    List<PresenceRecord> out = new ArrayList<>(ids.size());
    ids.forEach((id, e) -> out.add(PresenceRecord.newBuilder().setId(id).setInfo(ByteString.copyFrom(e.info)).build()));
    return out;
  }

  private void recomputeNextDeadline() {
    long next = Long.MAX_VALUE;
    for (Entry e : ids.values()) {
      for (long d : e.deadlines.values()) {
        next = Math.min(next, d);
      }
    }
    nextDeadline = next;
  }

  void writeTo(DataOutput out) throws IOException {
    out.writeInt(ids.size());
    for (Map.Entry<String, Entry> e : ids.entrySet()) {
      writeString(out, e.getKey());
      out.writeInt(e.getValue().info.length);
      out.write(e.getValue().info);
      out.writeInt(e.getValue().deadlines.size());
      for (Map.Entry<String, Long> s : e.getValue().deadlines.entrySet()) {
        writeString(out, s.getKey());
        out.writeLong(s.getValue());
      }
    }
  }

  static StreamPresence readFrom(DataInput in) throws IOException {
    StreamPresence p = new StreamPresence();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String id = readString(in);
      byte[] info = new byte[in.readInt()];
      in.readFully(info);
      Entry entry = new Entry(info);
      int sessions = in.readInt();
      for (int j = 0; j < sessions; j++) {
        String sid = readString(in);
        entry.deadlines.put(sid, in.readLong());
        p.idOfSession.put(sid, id);
      }
      p.ids.put(id, entry);
    }
    p.recomputeNextDeadline();
    return p;
  }

  // DataOutput.writeUTF stops at 64 KB and is not quite UTF-8: write length + UTF-8 bytes instead.
  private static void writeString(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInput in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
