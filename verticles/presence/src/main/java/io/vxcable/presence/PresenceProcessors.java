package io.vxcable.presence;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.query.Predicate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What {@link HazelcastPresence} keeps in the cluster maps and the entry processors that change
 * it. Hazelcast runs a key's processors on the owner of its partition one at a time and replays
 * them on the backup, so each is deterministic in its arguments (the caller's clock travels with
 * it) and every change of one stream is atomic cluster-wide. A processor that changes nothing does
 * not call {@code setValue}.
 */
public final class PresenceProcessors {

  private PresenceProcessors() {}

  /** A stream's presence as stored in the {@code <namespace>.streams} map. */
  public static final class StoredPresence implements DataSerializable {

    StreamPresence presence = new StreamPresence();

    public StoredPresence() {}

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      presence.writeTo(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      presence = StreamPresence.readFrom(in);
    }
  }

  /** The streams a session is in, as stored in the {@code <namespace>.sessions} map. */
  public static final class SessionStreams implements DataSerializable {

    final LinkedHashSet<String> streams = new LinkedHashSet<>();

    public SessionStreams() {}

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(streams.size());
      for (String s : streams) {
        out.writeString(s);
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        streams.add(in.readString());
      }
    }
  }

  /** Joins a session; returns the {@link StreamPresence.Joined} name. */
  public static final class Join implements EntryProcessor<String, StoredPresence, String>, DataSerializable {

    private String sid;
    private String id;
    private byte[] info;
    private long deadline;

    public Join() {}

    Join(String sid, String id, byte[] info, long deadline) {
      this.sid = sid;
      this.id = id;
      this.info = info;
      this.deadline = deadline;
    }

    @Override
    public String process(Map.Entry<String, StoredPresence> entry) {
      StoredPresence stored = entry.getValue() == null ? new StoredPresence() : entry.getValue();
      StreamPresence.Joined joined = stored.presence.join(sid, id, info, deadline);
      if (joined != StreamPresence.Joined.ID_MISMATCH) {
        entry.setValue(stored);
      }
      return joined.name();
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(sid);
      out.writeString(id);
      out.writeByteArray(info);
      out.writeLong(deadline);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      sid = in.readString();
      id = in.readString();
      info = in.readByteArray();
      deadline = in.readLong();
    }
  }

  /** Removes a session; returns the id that left with it, or null. */
  public static final class Leave implements EntryProcessor<String, StoredPresence, String>, DataSerializable {

    private String sid;

    public Leave() {}

    Leave(String sid) {
      this.sid = sid;
    }

    @Override
    public String process(Map.Entry<String, StoredPresence> entry) {
      StoredPresence stored = entry.getValue();
      if (stored == null || !stored.presence.holds(sid)) {
        return null;
      }
      String left = stored.presence.leave(sid);
      entry.setValue(stored.presence.isEmpty() ? null : stored);
      return left;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(sid);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      sid = in.readString();
    }
  }

  /** Moves the deadline of the stream's sessions among those given for it; returns null. */
  public static final class Touch implements EntryProcessor<String, StoredPresence, Object>, DataSerializable {

    private Map<String, List<String>> sidsByStream;
    private long deadline;

    public Touch() {}

    Touch(Map<String, List<String>> sidsByStream, long deadline) {
      this.sidsByStream = sidsByStream;
      this.deadline = deadline;
    }

    @Override
    public Object process(Map.Entry<String, StoredPresence> entry) {
      StoredPresence stored = entry.getValue();
      List<String> sids = sidsByStream.get(entry.getKey());
      if (stored != null && sids != null && stored.presence.touch(sids, deadline)) {
        entry.setValue(stored);
      }
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(deadline);
      out.writeInt(sidsByStream.size());
      for (Map.Entry<String, List<String>> e : sidsByStream.entrySet()) {
        out.writeString(e.getKey());
        out.writeInt(e.getValue().size());
        for (String sid : e.getValue()) {
          out.writeString(sid);
        }
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      deadline = in.readLong();
      int n = in.readInt();
      sidsByStream = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        String stream = in.readString();
        int m = in.readInt();
        List<String> sids = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
          sids.add(in.readString());
        }
        sidsByStream.put(stream, sids);
      }
    }
  }

  /** Removes expired sessions; returns the ids that left, or null when none did. */
  public static final class Expire implements EntryProcessor<String, StoredPresence, String[]>, DataSerializable {

    private long now;

    public Expire() {}

    Expire(long now) {
      this.now = now;
    }

    @Override
    public String[] process(Map.Entry<String, StoredPresence> entry) {
      StoredPresence stored = entry.getValue();
      if (stored == null || !stored.presence.mayExpire(now)) {
        return null;
      }
      StreamPresence.Expired expired = stored.presence.expire(now);
      // Stored even when nothing expired: the scan made the next deadline exact.
      entry.setValue(stored.presence.isEmpty() ? null : stored);
      return expired.leftIds().isEmpty() ? null : expired.leftIds().toArray(String[]::new);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(now);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      now = in.readLong();
    }
  }

  /** Selects streams that may have a session past its deadline; reads one field of the stored value. */
  public static final class HasExpired implements Predicate<String, StoredPresence> {

    private static final long serialVersionUID = 1L;
    private final long now;

    HasExpired(long now) {
      this.now = now;
    }

    @Override
    public boolean apply(Map.Entry<String, StoredPresence> entry) {
      StoredPresence stored = entry.getValue();
      return stored != null && stored.presence.mayExpire(now);
    }
  }

  /** Adds or removes one stream of a session (removing the last one removes the entry). */
  public static final class Link implements EntryProcessor<String, SessionStreams, Object>, DataSerializable {

    private String stream;
    private boolean add;

    public Link() {}

    Link(String stream, boolean add) {
      this.stream = stream;
      this.add = add;
    }

    @Override
    public Object process(Map.Entry<String, SessionStreams> entry) {
      SessionStreams value = entry.getValue();
      if (add) {
        value = value == null ? new SessionStreams() : value;
        value.streams.add(stream);
        entry.setValue(value); // also restarts the entry's time to live
      } else if (value != null && value.streams.remove(stream)) {
        entry.setValue(value.streams.isEmpty() ? null : value);
      }
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(stream);
      out.writeBoolean(add);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      stream = in.readString();
      add = in.readBoolean();
    }
  }

  /** Returns a session's streams (null when unknown) and restarts the entry's time to live. */
  public static final class Refresh implements EntryProcessor<String, SessionStreams, String[]>, DataSerializable {

    public Refresh() {}

    @Override
    public String[] process(Map.Entry<String, SessionStreams> entry) {
      SessionStreams value = entry.getValue();
      if (value == null) {
        return null;
      }
      entry.setValue(value);
      return value.streams.toArray(String[]::new);
    }

    @Override
    public void writeData(ObjectDataOutput out) {}

    @Override
    public void readData(ObjectDataInput in) {}
  }
}
