package io.vxcable.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.broker.HazelcastStreams.AppendProcessor;
import io.vxcable.broker.HazelcastStreams.PositionProcessor;
import io.vxcable.broker.HazelcastStreams.StoredStream;
import io.vxcable.broker.HazelcastStreams.StreamKey;
import io.vxcable.cluster.HazelcastSupport;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    return append(messages, null);
  }

  @Override
  public Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages, List<String> tags) {
    Map<String, List<byte[]>> byStream = Batches.byStream(messages, m -> m.toBuilder().setEpoch(epoch).build().toByteArray());
    if (byStream.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    Map<String, List<String>> tagsByStream = Batches.tagsByStream(messages, tags);
    Map<String, byte[][]> stored = new HashMap<>();
    Map<String, String[]> named = new HashMap<>();
    Set<StreamKey> keys = new HashSet<>();
    byStream.forEach((stream, list) -> {
      stored.put(stream, list.toArray(byte[][]::new));
      named.put(stream, tagsByStream.get(stream).toArray(String[]::new));
      keys.add(new StreamKey(stream));
    });
    AppendProcessor append = new AppendProcessor(clock.getAsLong(), limit, ttlMs, 10 * ttlMs, stored, named);
    return HazelcastSupport.onContext(context, streams.submitToKeys(keys, append)).map(given -> {
      Map<String, long[]> offsets = new HashMap<>();
      given.forEach((key, list) -> offsets.put(key.stream, list));
      return Batches.stamp(messages, epoch, (stream, i) -> offsets.get(stream)[i]);
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
}
