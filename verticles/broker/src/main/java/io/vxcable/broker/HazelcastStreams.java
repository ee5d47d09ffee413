package io.vxcable.broker;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.partition.PartitionAware;
import io.vxcable.contracts.Addresses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link HazelcastBroker} keeps in and sends to the cluster map of streams: the stored stream,
 * its key, and the entry processors that append to and read a stream where its partition lives.
 * Public with no-argument constructors, as Hazelcast builds them when it reads them.
 */
public final class HazelcastStreams {

  private HazelcastStreams() {}

  /** A stream's log as stored in the cluster map, with the tags of its latest tagged messages. */
  public static final class StoredStream implements DataSerializable {

    final StreamLog<byte[]> log = new StreamLog<>();
    final RecentTags tags = new RecentTags();

    public StoredStream() {}

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(log.offset());
      out.writeLong(log.lastAppend());
      out.writeInt(log.size());
      for (StreamLog.Entry<byte[]> e : log.entries()) {
        out.writeLong(e.timestamp());
        out.writeLong(e.offset());
        out.writeByteArray(e.message());
      }
      out.writeInt(tags.size());
      for (Map.Entry<Long, RecentTags.Tagged> t : tags.entries()) {
        out.writeLong(t.getKey());
        out.writeLong(t.getValue().offset());
        out.writeLong(t.getValue().at());
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      long offset = in.readLong();
      long lastAppend = in.readLong();
      int n = in.readInt();
      List<StreamLog.Entry<byte[]>> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        entries.add(new StreamLog.Entry<>(in.readLong(), in.readLong(), in.readByteArray()));
      }
      log.restore(offset, lastAppend, entries);
      int tagged = in.readInt();
      for (int i = 0; i < tagged; i++) {
        tags.put(in.readLong(), in.readLong(), in.readLong());
      }
    }
  }

  /**
   * A stream's key in the cluster map. Its partition follows the stream's shard, so the streams
   * of one shard share a partition and a batch for a shard is one operation on one member (and
   * one on its backup).
   */
  public static final class StreamKey implements PartitionAware<Integer>, DataSerializable {

    String stream;

    public StreamKey() {}

    StreamKey(String stream) {
      this.stream = stream;
    }

    @Override
    public Integer getPartitionKey() {
      return Addresses.shardOf(stream);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(stream);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      stream = in.readString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StreamKey k && k.stream.equals(stream);
    }

    @Override
    public int hashCode() {
      return stream.hashCode();
    }
  }

  /**
   * Reads a stream's last offset where its partition lives: 0 for an unknown stream or one idle
   * longer than its lifetime. Read-only, so it is not replayed on the backup.
   */
  public static final class PositionProcessor implements EntryProcessor<StreamKey, StoredStream, Long>, ReadOnly,
      DataSerializable {

    private long now;
    private long lifetimeMs;

    public PositionProcessor() {}

    PositionProcessor(long now, long lifetimeMs) {
      this.now = now;
      this.lifetimeMs = lifetimeMs;
    }

    @Override
    public Long process(Map.Entry<StreamKey, StoredStream> entry) {
      StoredStream stored = entry.getValue();
      return stored == null || stored.log.idleFor(now, lifetimeMs) ? 0L : stored.log.offset();
    }

    @Override
    public EntryProcessor<StreamKey, StoredStream, Long> getBackupProcessor() {
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(now);
      out.writeLong(lifetimeMs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      now = in.readLong();
      lifetimeMs = in.readLong();
    }
  }

  /**
   * Appends messages to the streams of its keys where their partition lives; returns each
   * message's offset, per stream. A tagged message the stream took within {@link Broker#TAG_WINDOW_MS}
   * (its first answer was lost) is not appended again: it gets its first offset. Deterministic in
   * its arguments, so the backup replays it to the same state.
   */
  public static final class AppendProcessor implements EntryProcessor<StreamKey, StoredStream, long[]>, DataSerializable {

    private long now;
    private int limit;
    private long ttlMs;
    private long lifetimeMs;
    private Map<String, byte[][]> messages;
    private Map<String, String[]> tags;

    public AppendProcessor() {}

    AppendProcessor(long now, int limit, long ttlMs, long lifetimeMs, Map<String, byte[][]> messages, Map<String, String[]> tags) {
      this.now = now;
      this.limit = limit;
      this.ttlMs = ttlMs;
      this.lifetimeMs = lifetimeMs;
      this.messages = messages;
      this.tags = tags;
    }

    @Override
    public long[] process(Map.Entry<StreamKey, StoredStream> entry) {
      StoredStream stored = entry.getValue();
      if (stored == null || stored.log.offset() > 0 && stored.log.idleFor(now, lifetimeMs)) {
        stored = new StoredStream();
      }
      byte[][] list = messages.get(entry.getKey().stream);
      String[] named = tags.get(entry.getKey().stream);
      long[] offsets = new long[list.length];
      for (int i = 0; i < list.length; i++) {
        if (named[i] == null) {
          offsets[i] = stored.log.append(now, list[i], limit);
          continue;
        }
        long tag = RecentTags.hash(named[i]);
        Long known = stored.tags.offsetOf(tag);
        if (known != null) {
          offsets[i] = known;
        } else {
          offsets[i] = stored.log.append(now, list[i], limit);
          stored.tags.put(tag, offsets[i], now);
        }
      }
      stored.log.dropOlderThan(now, ttlMs);
      stored.tags.expire(now, Broker.TAG_WINDOW_MS);
      entry.setValue(stored);
      return offsets;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(now);
      out.writeInt(limit);
      out.writeLong(ttlMs);
      out.writeLong(lifetimeMs);
      out.writeInt(messages.size());
      for (Map.Entry<String, byte[][]> e : messages.entrySet()) {
        out.writeString(e.getKey());
        out.writeInt(e.getValue().length);
        String[] named = tags.get(e.getKey());
        for (int i = 0; i < e.getValue().length; i++) {
          out.writeByteArray(e.getValue()[i]);
          out.writeString(named[i]);
        }
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      now = in.readLong();
      limit = in.readInt();
      ttlMs = in.readLong();
      lifetimeMs = in.readLong();
      int streams = in.readInt();
      messages = new HashMap<>(streams * 2);
      tags = new HashMap<>(streams * 2);
      for (int s = 0; s < streams; s++) {
        String stream = in.readString();
        int n = in.readInt();
        byte[][] list = new byte[n][];
        String[] named = new String[n];
        for (int i = 0; i < n; i++) {
          list[i] = in.readByteArray();
          named[i] = in.readString();
        }
        messages.put(stream, list);
        tags.put(stream, named);
      }
    }
  }
}
