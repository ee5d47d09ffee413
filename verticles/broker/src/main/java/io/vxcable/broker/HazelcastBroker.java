package io.vxcable.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * gap-free whichever node appends. Keeping one stream's order from intake to clients is the
 * broker verticle's job (one owner per shard, one append at a time per stream).
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
  private final IMap<String, StoredStream> streams;
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
  public Future<List<StreamBroadcast>> append(String stream, List<StreamBroadcast> messages) {
    List<byte[]> stored = new ArrayList<>(messages.size());
    for (StreamBroadcast m : messages) {
      if (!m.getTransient()) {
        stored.add(m.toBuilder().setEpoch(epoch).build().toByteArray());
      }
    }
    if (stored.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    AppendProcessor append = new AppendProcessor(clock.getAsLong(), limit, ttlMs, 10 * ttlMs, stored.toArray(byte[][]::new));
    return Future.fromCompletionStage(streams.submitToKey(stream, append), context).map(first -> {
      List<StreamBroadcast> out = new ArrayList<>(messages.size());
      long next = first;
      for (StreamBroadcast m : messages) {
        out.add(m.getTransient() ? m : m.toBuilder().setEpoch(epoch).setOffset(next++).build());
      }
      return out;
    });
  }

  @Override
  public Future<List<StreamBroadcast>> historyFrom(String stream, String requestedEpoch, long offset) {
    if (!epoch.equals(requestedEpoch)) {
      return Future.failedFuture(new HistoryException("unknown epoch"));
    }
    long now = clock.getAsLong();
    return Future.fromCompletionStage(streams.getAsync(stream), context).compose(stored -> {
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
    return Future.fromCompletionStage(streams.getAsync(stream), context).map(stored -> {
      if (stored == null || stored.log.idleFor(now, 10 * ttlMs)) {
        return List.of();
      }
      return decode(stored.log.since(since, now - ttlMs));
    });
  }

  @Override
  public Future<Void> commitSession(String sid, byte[] state) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    long expiresAt = clock.getAsLong() + sessionsTtlMs;
    byte[] value = ByteBuffer.allocate(8 + state.length).putLong(expiresAt).put(state).array();
    return Future.fromCompletionStage(sessions.setAsync(sid, value, sessionsTtlMs, TimeUnit.MILLISECONDS), context);
  }

  @Override
  public Future<byte[]> restoreSession(String sid) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(sessions.getAsync(sid), context).map(value -> {
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
   * Appends messages to one stream where its partition lives; returns the first offset given.
   * Deterministic in its arguments, so the backup replays it to the same state.
   */
  public static final class AppendProcessor implements EntryProcessor<String, StoredStream, Long>, DataSerializable {

    private long now;
    private int limit;
    private long ttlMs;
    private long lifetimeMs;
    private byte[][] messages;

    public AppendProcessor() {}

    AppendProcessor(long now, int limit, long ttlMs, long lifetimeMs, byte[][] messages) {
      this.now = now;
      this.limit = limit;
      this.ttlMs = ttlMs;
      this.lifetimeMs = lifetimeMs;
      this.messages = messages;
    }

    @Override
    public Long process(Map.Entry<String, StoredStream> entry) {
      StoredStream stored = entry.getValue();
      if (stored == null || stored.log.offset() > 0 && stored.log.idleFor(now, lifetimeMs)) {
        stored = new StoredStream();
      }
      long first = stored.log.offset() + 1;
      for (byte[] m : messages) {
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
      out.writeInt(messages.length);
      for (byte[] m : messages) {
        out.writeByteArray(m);
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      now = in.readLong();
      limit = in.readInt();
      ttlMs = in.readLong();
      lifetimeMs = in.readLong();
      messages = new byte[in.readInt()][];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = in.readByteArray();
      }
    }
  }
}
