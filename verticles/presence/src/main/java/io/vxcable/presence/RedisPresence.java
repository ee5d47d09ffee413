package io.vxcable.presence;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vxcable.backends.CallerContext;
import io.vxcable.backends.RedisScript;
import io.vxcable.contracts.bus.PresenceRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The Redis presence: every node's sessions in a Redis (7.0 or later) shared by the nodes that use
 * the same prefix. Keys, under the prefix:
 * <ul>
 *   <li>per stream, {@code presence:<key>:<stream>} for {@code sessions} (hash sid → id),
 *       {@code deadlines} (sorted set of sids by deadline), {@code ids} (sorted set of ids by
 *       first-join rank), {@code info} (hash id → info) and {@code counts} (hash id → number of its
 *       sessions); Redis drops each with its last member;</li>
 *   <li>{@code presence:due}: sorted set of streams, each scored at most its earliest deadline;</li>
 *   <li>{@code presence:links:<sid>}: set of the streams a session joined, for touches; a leave
 *       removes its stream, an expiry does not (a stale link is harmless: touches only move the
 *       deadlines of sessions still there), and the set expires 10 × {@code presence_ttl} after
 *       its last join or touch.</li>
 * </ul>
 * Each join and leave is one Lua script over the stream's keys ({@link RedisPresenceScripts}), so
 * changes of a stream are atomic whichever node makes them. A touch reads the sessions' links,
 * then moves their deadlines in one script. {@link #expire} reads the due streams, then expires
 * them in one script: when several nodes sweep at once, the first removes a session and reports
 * its leave, the others find nothing, so each leave event comes out once. Presence keys carry no
 * Redis expiry: sessions of nodes that died are removed, with their leave events, by the next
 * sweep of any node.
 *
 * <p>Scripts take keys of several streams, so this needs a standalone Redis (or one found through
 * Sentinel), not Redis Cluster.
 */
public final class RedisPresence implements Presence {

  /** The key prefix by default. */
  public static final String DEFAULT_PREFIX = "__vxcable__:";
  /** Due streams handled per expiry script; a sweep runs up to {@link #SWEEP_ROUNDS} of them. */
  static final int SWEEP_BATCH = 500;
  static final int SWEEP_ROUNDS = 20;

  private static final String[] STREAM_KEYS = {"sessions", "deadlines", "ids", "info", "counts"};

  private final Context context;
  private final Redis client;
  private final String prefix;
  private final long ttlMs;
  private final long linksTtlMs;
  private final LongSupplier clock;

  private RedisPresence(Context context, Redis client, String prefix, int ttlSeconds, LongSupplier clock) {
    this.context = context;
    this.client = client;
    this.prefix = prefix;
    this.ttlMs = ttlSeconds * 1000L;
    this.linksTtlMs = Math.max(60_000L, 10 * ttlMs);
    this.clock = clock;
  }

  /**
   * Loads the scripts; fails when Redis cannot be reached.
   *
   * @param prefix key namespace ({@link #DEFAULT_PREFIX})
   * @param ttlSeconds seconds a session stays present after its last join or touch
   * @param clock wall clock in milliseconds
   */
  public static Future<RedisPresence> start(Vertx vertx, Redis client, String prefix, int ttlSeconds, LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    Future<Void> loaded = Future.succeededFuture();
    for (RedisScript s : List.of(RedisPresenceScripts.JOIN, RedisPresenceScripts.LEAVE, RedisPresenceScripts.INFO,
        RedisPresenceScripts.TOUCH, RedisPresenceScripts.EXPIRE)) {
      loaded = loaded.compose(v -> s.load(client));
    }
    return CallerContext.onContext(context, loaded.map(v -> new RedisPresence(context, client, prefix, ttlSeconds, clock)));
  }

  @Override
  public Future<PresenceEvent> join(String stream, String sid, String id, byte[] info) {
    long deadline = clock.getAsLong() + ttlMs;
    Future<Response> joined = RedisPresenceScripts.JOIN.run(client, 7, r -> {
      streamKeys(r, stream);
      r.arg(dueKey()).arg(linksKey(sid));
      r.arg(stream).arg(sid).arg(id).arg(info).arg(deadline).arg(linksTtlMs);
    });
    return onCaller(joined).compose(r -> switch (r.toString()) {
      case "NEW" -> Future.succeededFuture(PresenceEvent.join(stream, id, info));
      case "KNOWN" -> Future.succeededFuture();
      default -> Future.failedFuture(new PresenceException(PresenceException.ID_MISMATCH));
    });
  }

  @Override
  public Future<PresenceEvent> leave(String stream, String sid) {
    Future<Response> left = RedisPresenceScripts.LEAVE.run(client, 7, r -> {
      streamKeys(r, stream);
      r.arg(dueKey()).arg(linksKey(sid));
      r.arg(stream).arg(sid);
    });
    return onCaller(left).map(r -> r == null ? null : PresenceEvent.leave(stream, r.toString()));
  }

  @Override
  public Future<List<PresenceRecord>> info(String stream) {
    Future<Response> read = RedisPresenceScripts.INFO.run(client, 2, r -> r.arg(key("ids", stream)).arg(key("info", stream)));
    return onCaller(read).map(r -> {
      List<PresenceRecord> out = new ArrayList<>(r.size() / 2);
      for (int i = 0; i + 1 < r.size(); i += 2) {
        out.add(PresenceRecord.newBuilder().setId(r.get(i).toString()).setInfo(ByteString.copyFrom(r.get(i + 1).toBytes())).build());
      }
      return out;
    });
  }

  @Override
  public Future<Void> touch(Collection<String> sids) {
    if (sids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(sids));
    List<Request> reads = new ArrayList<>(unique.size() * 2);
    for (String sid : unique) {
      reads.add(Request.cmd(Command.SMEMBERS).arg(linksKey(sid)));
      reads.add(Request.cmd(Command.PEXPIRE).arg(linksKey(sid)).arg(linksTtlMs));
    }
    long deadline = clock.getAsLong() + ttlMs;
    Future<Response> touched = client.batch(reads).compose(replies -> {
      Map<String, List<String>> sidsByStream = new LinkedHashMap<>();
      for (int i = 0; i < unique.size(); i++) {
        Response streams = replies.get(2 * i);
        if (streams != null) {
          for (Response stream : streams) {
            sidsByStream.computeIfAbsent(stream.toString(), k -> new ArrayList<>()).add(unique.get(i));
          }
        }
      }
      if (sidsByStream.isEmpty()) {
        return Future.succeededFuture();
      }
      return RedisPresenceScripts.TOUCH.run(client, 1 + sidsByStream.size(), r -> {
        r.arg(dueKey());
        sidsByStream.keySet().forEach(stream -> r.arg(key("deadlines", stream)));
        r.arg(deadline);
        sidsByStream.forEach((stream, in) -> {
          r.arg(stream).arg(in.size());
          in.forEach(r::arg);
        });
      });
    });
    return onCaller(touched).mapEmpty();
  }

  @Override
  public Future<List<PresenceEvent>> expire() {
    return onCaller(sweep(clock.getAsLong(), new ArrayList<>(), SWEEP_ROUNDS));
  }

  /** One round: the streams due (at most {@link #SWEEP_BATCH}), expired in one script; again while more may be due. */
  private Future<List<PresenceEvent>> sweep(long now, List<PresenceEvent> events, int rounds) {
    Request due = Request.cmd(Command.ZRANGE).arg(dueKey()).arg("-inf").arg("(" + now).arg("BYSCORE").arg("LIMIT").arg(0)
        .arg(SWEEP_BATCH);
    return client.send(due).compose(streams -> {
      if (streams == null || streams.size() == 0) {
        return Future.succeededFuture(events);
      }
      List<String> names = new ArrayList<>(streams.size());
      streams.forEach(s -> names.add(s.toString()));
      Future<Response> expired = RedisPresenceScripts.EXPIRE.run(client, 1 + 5 * names.size(), r -> {
        r.arg(dueKey());
        names.forEach(stream -> streamKeys(r, stream));
        r.arg(now);
        names.forEach(r::arg);
      });
      return expired.compose(r -> {
        for (int i = 0; i + 1 < r.size(); i += 2) {
          String stream = r.get(i).toString();
          for (Response id : r.get(i + 1)) {
            events.add(PresenceEvent.leave(stream, id.toString()));
          }
        }
        return names.size() < SWEEP_BATCH || rounds <= 1 ? Future.succeededFuture(events) : sweep(now, events, rounds - 1);
      });
    });
  }

  private void streamKeys(Request r, String stream) {
    for (String k : STREAM_KEYS) {
      r.arg(key(k, stream));
    }
  }

  String key(String kind, String stream) {
    return prefix + "presence:" + kind + ":" + stream;
  }

  String dueKey() {
    return prefix + "presence:due";
  }

  String linksKey(String sid) {
    return prefix + "presence:links:" + sid;
  }

  private <T> Future<T> onCaller(Future<T> f) {
    return CallerContext.onCaller(context, f);
  }
}
