package io.vxcable.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.partition.PartitionAware;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.cluster.HazelcastSupport;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The cluster broker: history, epoch and session snapshots live in Hazelcast maps of the cluster
 * the event bus already runs on, with one synchronous backup each, so they survive the loss of any
 * single node and need no external service.
 *
 * <p>A stream's offsets are assigned by an entry processor, which Hazelcast runs on the owner of
 * the stream's partition one at a time and replays on the backup: offsets are unique and
 * gap-free whichever node appends. All streams of one shard share a partition, so a batch for a
 * shard costs one operation. Keeping one stream's order from intake to clients is the broker
 * verticle's job (one owner per shard, one append at a time per shard).
 *
 * <p>Timestamps come from this node's clock and travel with each append, so retention rules are
 * the memory broker's exactly; Hazelcast's own expiry (10 × {@code history_ttl} for streams,
 * {@code sessions_ttl} for sessions) only collects what nobody uses any more.
 */
public final class HazelcastBroker implements Broker {

  /** Map names under the default namespace. */
  public static final String DEFAULT_NAMESPACE = "vxcable.broker";

  private final Context context;
  private final String epoch;
  private final int limit;
  private final long ttlMs;
  private final long sessionsTtlMs;
  private final LongSupplier clock;
  private final IMap<StreamKey, StoredStream> streams;
  private final IMap<String, byte[]> sessions;

  private HazelcastBroker(Context context, HazelcastInstance hz, String namespace, String epoch, int limit,
      int ttlSeconds, int sessionsTtlSeconds, LongSupplier clock) {
    this.context = context;
    this.epoch = epoch;
    this.limit = Math.max(0, limit);
    this.ttlMs = ttlSeconds * 1000L;
    this.sessionsTtlMs = sessionsTtlSeconds * 1000L;
    this.clock = clock;
    this.streams = hz.getMap(namespace + ".streams");
    this.sessions = hz.getMap(namespace + ".sessions");
  }

  /**
   * Configures the maps (first broker of the cluster wins; a later one with other retention
   * settings fails to start) and reads or creates the cluster's epoch. Blocking calls run off the
   * event loop.
   */
  public static Future<HazelcastBroker> start(Vertx vertx, HazelcastInstance hz, String namespace, int limit,
      int ttlSeconds, int sessionsTtlSeconds, LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      int lifetime = (int) Math.min(Integer.MAX_VALUE, Math.max(1L, 10L * ttlSeconds));
      hz.getConfig().addMapConfig(new MapConfig(namespace + ".streams").setBackupCount(1)
          .setInMemoryFormat(InMemoryFormat.OBJECT).setTimeToLiveSeconds(lifetime));
      hz.getConfig().addMapConfig(new MapConfig(namespace + ".sessions").setBackupCount(1));
      hz.getConfig().addMapConfig(new MapConfig(namespace + ".meta").setBackupCount(1));
      IMap<String, String> meta = hz.getMap(namespace + ".meta");
      String mine = MemoryBroker.randomEpoch();
      String existing = meta.putIfAbsent("epoch", mine);
      return existing == null ? mine : existing;
    }).map(epoch -> new HazelcastBroker(context, hz, namespace, epoch, limit, ttlSeconds, sessionsTtlSeconds, clock));
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages) {
    Map<String, List<byte[]>> byStream = Batches.byStream(messages, m -> m.toBuilder().setEpoch(epoch).build().toByteArray());
    if (byStream.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    Map<String, byte[][]> stored = new HashMap<>();
    Set<StreamKey> keys = new HashSet<>();
    byStream.forEach((stream, list) -> {
      stored.put(stream, list.toArray(byte[][]::new));
      keys.add(new StreamKey(stream));
    });
    AppendProcessor append = new AppendProcessor(clock.getAsLong(), limit, ttlMs, 10 * ttlMs, stored);
    return HazelcastSupport.onContext(context, streams.submitToKeys(keys, append)).map(firsts -> {
      Map<String, Long> first = new HashMap<>();
      firsts.forEach((key, offset) -> first.put(key.stream, offset));
      return Batches.stamp(messages, epoch, (stream, i) -> first.get(stream) + i);
    });
  }

  @Override
  public Future<List<StreamBroadcast>> historyFrom(String stream, String requestedEpoch, long offset) {
    if (!epoch.equals(requestedEpoch)) {
      return Future.failedFuture(new HistoryException("unknown epoch"));
    }
    long now = clock.getAsLong();
    return HazelcastSupport.onContext(context, streams.getAsync(new StreamKey(stream))).compose(stored -> {
      if (stored == null || stored.log.idleFor(now, 10 * ttlMs)) {
        return Future.failedFuture(new HistoryException("stream not found"));
      }
      try {
        return Future.succeededFuture(decode(stored.log.after(offset, now - ttlMs)));
      } catch (HistoryException e) {
        return Future.failedFuture(e);
      }
    });
  }

  @Override
  public Future<List<StreamBroadcast>> historySince(String stream, long since) {
    long now = clock.getAsLong();
    return HazelcastSupport.onContext(context, streams.getAsync(new StreamKey(stream))).map(stored -> {
      if (stored == null || stored.log.idleFor(now, 10 * ttlMs)) {
        return List.of();
      }
      return decode(stored.log.since(since, now - ttlMs));
    });
  }

  @Override
  public Future<Long> position(String stream) {
    // Runs where the stream's partition lives and brings back one number, not the stream's log.
    PositionProcessor read = new PositionProcessor(clock.getAsLong(), 10 * ttlMs);
    return HazelcastSupport.onContext(context, streams.submitToKey(new StreamKey(stream), read));
  }

  @Override
  public Future<Void> commitSession(String sid, byte[] state) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    long expiresAt = clock.getAsLong() + sessionsTtlMs;
    byte[] value = ByteBuffer.allocate(8 + state.length).putLong(expiresAt).put(state).array();
    return HazelcastSupport.onContext(context, sessions.setAsync(sid, value, sessionsTtlMs, TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<byte[]> restoreSession(String sid) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    return HazelcastSupport.onContext(context, sessions.getAsync(sid)).map(value -> {
      if (value == null || value.length < 8 || ByteBuffer.wrap(value).getLong() <= clock.getAsLong()) {
        return null;
      }
      return Arrays.copyOfRange(value, 8, value.length);
    });
  }

  @Override
  public void expire() {
    // Hazelcast expires streams and sessions by itself; reads apply the exact rules.
  }

  private static List<StreamBroadcast> decode(List<StreamLog.Entry<byte[]>> entries) {
    List<StreamBroadcast> out = new ArrayList<>(entries.size());
    for (StreamLog.Entry<byte[]> e : entries) {
      try {
        out.add(StreamBroadcast.parseFrom(e.message()).toBuilder().setOffset(e.offset()).build());
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("a stored message does not parse", ex);
      }
    }
    return out;
  }

  /** A stream's log as stored in the cluster map. */
  public static final class StoredStream implements DataSerializable {

    final StreamLog<byte[]> log = new StreamLog<>();

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
   * stream's first offset given. Deterministic in its arguments, so the backup replays it to the
   * same state.
   */
  public static final class AppendProcessor implements EntryProcessor<StreamKey, StoredStream, Long>, DataSerializable {

    private long now;
    private int limit;
    private long ttlMs;
    private long lifetimeMs;
    private Map<String, byte[][]> messages;

    public AppendProcessor() {}

    AppendProcessor(long now, int limit, long ttlMs, long lifetimeMs, Map<String, byte[][]> messages) {
      this.now = now;
      this.limit = limit;
      this.ttlMs = ttlMs;
      this.lifetimeMs = lifetimeMs;
      this.messages = messages;
    }

    @Override
    public Long process(Map.Entry<StreamKey, StoredStream> entry) {
      StoredStream stored = entry.getValue();
      if (stored == null || stored.log.offset() > 0 && stored.log.idleFor(now, lifetimeMs)) {
        stored = new StoredStream();
      }
      long first = stored.log.offset() + 1;
      for (byte[] m : messages.get(entry.getKey().stream)) {
        stored.log.append(now, m, limit);
      }
      stored.log.dropOlderThan(now, ttlMs);
      entry.setValue(stored);
      return first;
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
        for (byte[] m : e.getValue()) {
          out.writeByteArray(m);
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
      for (int s = 0; s < streams; s++) {
        String stream = in.readString();
        byte[][] list = new byte[in.readInt()][];
        for (int i = 0; i < list.length; i++) {
          list[i] = in.readByteArray();
        }
        messages.put(stream, list);
      }
    }
  }
}
