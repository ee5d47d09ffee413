package io.vxcable.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vxcable.backends.CallerContext;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The Redis broker: history, offsets, the epoch and session snapshots in a Redis (7.0 or later)
 * shared by every node that uses the same prefix, so history survives the restart of every node.
 * Keys, under the prefix:
 * <ul>
 *   <li>{@code epoch}: the epoch, created once ({@code SET NX}); never expires;</li>
 *   <li>{@code broker:position:<stream>}: hash {@code offset} (last offset given),
 *       {@code at} (time of the last append);</li>
 *   <li>{@code broker:history:<stream>}: Redis Stream of retained messages, entry id
 *       {@code <offset>-0}, fields {@code t} (append time) and {@code m} (the
 *       {@code StreamBroadcast} bytes without epoch and offset), {@code MAXLEN history_limit};</li>
 *   <li>{@code broker:session:<sid>}: 8-byte expiry time, then the snapshot;</li>
 *   <li>{@code broker:batch:<batch id>}: hash index → offset of a batch's stored messages, kept
 *       {@link Broker#TAG_WINDOW_MS}, so a batch retried after a lost answer is not stored twice.</li>
 * </ul>
 * Offsets are given by one Lua script per {@link #append} call ({@link RedisBrokerScripts#APPEND}),
 * atomic over all the call's streams whichever node runs it. Times are this node's clock and
 * travel with each call, so retention rules are the memory broker's exactly ({@link StreamLog}
 * applies them to what a read brings back); Redis key expiries (the rule's time plus a margin, in
 * Redis's own clock) only collect what nobody uses any more, so {@link #expire} has nothing to do.
 *
 * <p>When Redis has lost its data (restarted without persistence, flushed), the next append creates
 * a new epoch and this broker adopts it: clients holding positions of the old epoch are then told
 * their history is gone instead of getting other messages under the same offsets.
 *
 * <p>Scripts take keys of several streams, so the broker needs a standalone Redis (or one found
 * through Sentinel), not Redis Cluster.
 */
public final class RedisBroker implements Broker {

  /** The key prefix by default. */
  public static final String DEFAULT_PREFIX = "__vxcable__:";
  /** How much longer than the retention rules Redis keeps keys (covers clock differences). */
  static final long EXPIRY_MARGIN_MS = 60_000;

  private final Context context;
  private final Redis client;
  private final String prefix;
  private final int limit;
  private final long ttlMs;
  private final long lifetimeMs;
  private final long sessionsTtlMs;
  private final LongSupplier clock;
  private volatile String epoch;
  /** The epoch this broker creates if Redis has none; replaced once used. */
  private volatile String candidate = MemoryBroker.randomEpoch();

  private RedisBroker(Context context, Redis client, String prefix, String epoch, int limit, int ttlSeconds,
      int sessionsTtlSeconds, LongSupplier clock) {
    this.context = context;
    this.client = client;
    this.prefix = prefix;
    this.epoch = epoch;
    this.limit = Math.max(0, limit);
    this.ttlMs = ttlSeconds * 1000L;
    this.lifetimeMs = 10 * ttlMs;
    this.sessionsTtlMs = sessionsTtlSeconds * 1000L;
    this.clock = clock;
  }

  /**
   * Reads or creates the epoch under {@code prefix} and loads the scripts; fails when Redis cannot
   * be reached.
   *
   * @param prefix key namespace ({@link #DEFAULT_PREFIX})
   * @param historyLimit messages kept per stream (0 = none)
   * @param historyTtlSeconds seconds a message is kept
   * @param sessionsTtlSeconds seconds a session snapshot is kept (0 = no snapshots)
   * @param clock wall clock in milliseconds
   */
  public static Future<RedisBroker> start(Vertx vertx, Redis client, String prefix, int historyLimit,
      int historyTtlSeconds, int sessionsTtlSeconds, LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    String mine = MemoryBroker.randomEpoch();
    Future<RedisBroker> started = RedisBrokerScripts.APPEND.load(client)
        .compose(v -> RedisBrokerScripts.READ.load(client))
        .compose(v -> client.send(Request.cmd(Command.SET).arg(prefix + "epoch").arg(mine).arg("NX").arg("GET")))
        .map(existing -> new RedisBroker(context, client, prefix, existing == null ? mine : existing.toString(),
            historyLimit, historyTtlSeconds, sessionsTtlSeconds, clock));
    return CallerContext.onContext(context, started);
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
    Map<String, List<Tagged>> byStream = new LinkedHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      StreamBroadcast m = messages.get(i);
      if (!m.getTransient()) {
        String tag = tags == null ? null : tags.get(i);
        // Tags of one batch ("<batch id>:<index>") share one small hash in Redis.
        int colon = tag == null ? -1 : tag.lastIndexOf(':');
        String batch = tag == null ? "" : colon < 0 ? tag : tag.substring(0, colon);
        String index = colon < 0 ? "0" : tag.substring(colon + 1);
        byStream.computeIfAbsent(m.getStream(), k -> new ArrayList<>())
            .add(new Tagged(batch, index, m.toBuilder().clearEpoch().clearOffset().build().toByteArray()));
      }
    }
    if (byStream.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    long now = clock.getAsLong();
    String newEpoch = candidate;
    Future<Response> stored = RedisBrokerScripts.APPEND.run(client, 1 + 2 * byStream.size(), r -> {
      r.arg(epochKey());
      byStream.keySet().forEach(stream -> r.arg(positionKey(stream)).arg(historyKey(stream)));
      r.arg(newEpoch).arg(now).arg(limit).arg(ttlMs).arg(lifetimeMs).arg(lifetimeMs + EXPIRY_MARGIN_MS)
          .arg(prefix + "broker:batch:").arg(TAG_WINDOW_MS);
      byStream.values().forEach(list -> {
        r.arg(list.size());
        list.forEach(t -> r.arg(t.batch()).arg(t.index()).arg(t.message()));
      });
    });
    return onCaller(stored).map(reply -> {
      String current = adopt(reply.get(0).toString());
      if (current.equals(newEpoch)) {
        candidate = MemoryBroker.randomEpoch();
      }
      Map<String, long[]> offsets = new HashMap<>();
      int at = 1;
      for (Map.Entry<String, List<Tagged>> e : byStream.entrySet()) {
        long[] given = new long[e.getValue().size()];
        for (int i = 0; i < given.length; i++) {
          given[i] = reply.get(at++).toLong();
        }
        offsets.put(e.getKey(), given);
      }
      return Batches.stamp(messages, current, (stream, i) -> offsets.get(stream)[i]);
    });
  }

  /** A message as the append script takes it: its batch id and index ('' when untagged), its stored bytes. */
  private record Tagged(String batch, String index, byte[] message) {}

  @Override
  public Future<List<StreamBroadcast>> historyFrom(String stream, String requestedEpoch, long offset) {
    long now = clock.getAsLong();
    return read(stream, offset < 0 ? "-" : "(" + offset + "-0").compose(read -> {
      if (read.epoch.isEmpty() || !read.epoch.equals(requestedEpoch)) {
        return Future.failedFuture(new HistoryException("unknown epoch"));
      }
      if (read.log == null || read.log.idleFor(now, lifetimeMs)) {
        return Future.failedFuture(new HistoryException("stream not found"));
      }
      try {
        return Future.succeededFuture(decode(read.log.after(offset, now - ttlMs), read.epoch));
      } catch (HistoryException e) {
        return Future.failedFuture(e);
      }
    });
  }

  @Override
  public Future<List<StreamBroadcast>> historySince(String stream, long since) {
    long now = clock.getAsLong();
    return read(stream, "-").map(read -> {
      if (read.log == null || read.log.idleFor(now, lifetimeMs)) {
        return List.of();
      }
      return decode(read.log.since(since, now - ttlMs), read.epoch.isEmpty() ? epoch : read.epoch);
    });
  }

  @Override
  public Future<Long> position(String stream) {
    long now = clock.getAsLong();
    Future<Response> state = client.send(Request.cmd(Command.HMGET).arg(positionKey(stream)).arg("offset").arg("at"));
    return onCaller(state).map(r -> {
      Response offset = r.get(0);
      Response at = r.get(1);
      if (offset == null || at == null || now - at.toLong() > lifetimeMs) {
        return 0L;
      }
      return offset.toLong();
    });
  }

  @Override
  public Future<Void> commitSession(String sid, byte[] state) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    long expiresAt = clock.getAsLong() + sessionsTtlMs;
    byte[] value = ByteBuffer.allocate(8 + state.length).putLong(expiresAt).put(state).array();
    return onCaller(client.send(Request.cmd(Command.SET).arg(sessionKey(sid)).arg(value).arg("PX")
        .arg(sessionsTtlMs + EXPIRY_MARGIN_MS))).mapEmpty();
  }

  @Override
  public Future<byte[]> restoreSession(String sid) {
    if (sessionsTtlMs <= 0) {
      return Future.succeededFuture();
    }
    return onCaller(client.send(Request.cmd(Command.GET).arg(sessionKey(sid)))).map(r -> {
      byte[] value = r == null ? null : r.toBytes();
      if (value == null || value.length < 8 || ByteBuffer.wrap(value).getLong() <= clock.getAsLong()) {
        return null;
      }
      return Arrays.copyOfRange(value, 8, value.length);
    });
  }

  @Override
  public void expire() {
    // Reads apply the exact rules; Redis expires the keys nobody uses any more by itself.
  }

  String epochKey() {
    return prefix + "epoch";
  }

  String positionKey(String stream) {
    return prefix + "broker:position:" + stream;
  }

  String historyKey(String stream) {
    return prefix + "broker:history:" + stream;
  }

  String sessionKey(String sid) {
    return prefix + "broker:session:" + sid;
  }

  /** What one read of a stream brought back: Redis's epoch ('' if none), and the log (null if unknown). */
  private record Read(String epoch, StreamLog<byte[]> log) {}

  private Future<Read> read(String stream, String firstId) {
    Future<Response> reply = RedisBrokerScripts.READ.run(client, 3,
        r -> r.arg(epochKey()).arg(positionKey(stream)).arg(historyKey(stream)).arg(firstId));
    return onCaller(reply).map(r -> {
      String stored = adopt(r.get(0).toString());
      String offset = r.get(1).toString();
      if (offset.isEmpty()) {
        return new Read(stored, null);
      }
      List<StreamLog.Entry<byte[]>> entries = new ArrayList<>((r.size() - 3) / 3);
      for (int i = 3; i + 2 < r.size(); i += 3) {
        String id = r.get(i).toString();
        long entryOffset = Long.parseLong(id.substring(0, id.indexOf('-')));
        entries.add(new StreamLog.Entry<>(r.get(i + 1).toLong(), entryOffset, r.get(i + 2).toBytes()));
      }
      StreamLog<byte[]> log = new StreamLog<>();
      log.restore(Long.parseLong(offset), r.get(2).toLong(), entries);
      return new Read(stored, log);
    });
  }

  /** Takes Redis's epoch as this broker's (it changes only when Redis lost its data); returns it. */
  private String adopt(String stored) {
    if (!stored.isEmpty() && !stored.equals(epoch)) {
      epoch = stored;
    }
    return stored;
  }

  private static List<StreamBroadcast> decode(List<StreamLog.Entry<byte[]>> entries, String epoch) {
    List<StreamBroadcast> out = new ArrayList<>(entries.size());
    for (StreamLog.Entry<byte[]> e : entries) {
      try {
        out.add(StreamBroadcast.parseFrom(e.message()).toBuilder().setEpoch(epoch).setOffset(e.offset()).build());
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("a stored message does not parse", ex);
      }
    }
    return out;
  }

  private <T> Future<T> onCaller(Future<T> f) {
    return CallerContext.onCaller(context, f);
  }
}
