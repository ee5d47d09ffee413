package io.vxcable.presence;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.cluster.HazelcastSupport;
import io.vxcable.config.ConfigException;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.presence.PresenceProcessors.Expire;
import io.vxcable.presence.PresenceProcessors.HasExpired;
import io.vxcable.presence.PresenceProcessors.Join;
import io.vxcable.presence.PresenceProcessors.Leave;
import io.vxcable.presence.PresenceProcessors.Link;
import io.vxcable.presence.PresenceProcessors.Refresh;
import io.vxcable.presence.PresenceProcessors.SessionStreams;
import io.vxcable.presence.PresenceProcessors.StoredPresence;
import io.vxcable.presence.PresenceProcessors.Touch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The cluster presence: every node's sessions in Hazelcast maps of the cluster the event bus
 * already runs on, with one synchronous backup each, so presence survives the loss of any single
 * node and any number of presence verticles can serve at once.
 *
 * <ul>
 *   <li>{@code <namespace>.streams}: stream → its whole presence, changed only by entry processors
 *       ({@link PresenceProcessors}), so concurrent joins and leaves from several nodes are atomic
 *       per stream and each join or leave event is produced exactly once.</li>
 *   <li>{@code <namespace>.sessions}: session → its streams, for touches; an entry lives
 *       10 × {@code presence_ttl} after its last change or touch, so sessions that vanish without
 *       leaving are collected.</li>
 * </ul>
 * Deadlines come from the calling node's clock. {@link #expire} queries the whole cluster for
 * streams with an expired session (members without a presence verticle, such as gateway-only
 * nodes, own partitions too) and expires them with an entry processor: when several presence
 * nodes sweep at once, the first one removes the sessions and reports the leave, the others find
 * nothing, so each leave event is produced exactly once.
 */
public final class HazelcastPresence implements Presence {

  /** Map names under the default namespace. */
  public static final String DEFAULT_NAMESPACE = "vxcable.presence";

  private final Context context;
  private final long ttlMs;
  private final LongSupplier clock;
  private final IMap<String, StoredPresence> streams;
  private final IMap<String, SessionStreams> sessions;

  private HazelcastPresence(Context context, HazelcastInstance hz, String namespace, int ttlSeconds, LongSupplier clock) {
    this.context = context;
    this.ttlMs = ttlSeconds * 1000L;
    this.clock = clock;
    this.streams = hz.getMap(namespace + ".streams");
    this.sessions = hz.getMap(namespace + ".sessions");
  }

  /**
   * Configures the maps (the first presence of the cluster wins; a later one with another
   * {@code presence_ttl} fails to start). Blocking calls run off the event loop.
   */
  public static Future<HazelcastPresence> start(Vertx vertx, HazelcastInstance hz, String namespace, int ttlSeconds,
      LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    return context.executeBlocking(() -> {
      int lifetime = (int) Math.min(Integer.MAX_VALUE, Math.max(1L, 10L * ttlSeconds));
      try {
        hz.getConfig().addMapConfig(new MapConfig(namespace + ".streams").setBackupCount(1)
            .setInMemoryFormat(InMemoryFormat.OBJECT));
        hz.getConfig().addMapConfig(new MapConfig(namespace + ".sessions").setBackupCount(1)
            .setTimeToLiveSeconds(lifetime));
      } catch (InvalidConfigurationException e) {
        throw new ConfigException("the cluster's presence maps (" + namespace + ".*) are configured otherwise, "
            + "probably by a node with another presence_ttl: every node needs the same (" + e.getMessage() + ")");
      }
      return new HazelcastPresence(context, hz, namespace, ttlSeconds, clock);
    });
  }

  @Override
  public Future<PresenceEvent> join(String stream, String sid, String id, byte[] info) {
    Join join = new Join(sid, id, info, clock.getAsLong() + ttlMs);
    // Link first: a failed join then leaves at most a harmless link, never an untouchable session.
    return HazelcastSupport.onContext(context, sessions.submitToKey(sid, new Link(stream, true)))
        .compose(v -> HazelcastSupport.onContext(context, streams.submitToKey(stream, join)))
        .compose(result -> switch (StreamPresence.Joined.valueOf(result)) {
          case NEW_ID -> Future.succeededFuture(PresenceEvent.join(stream, id, info));
          case KNOWN_ID -> Future.succeededFuture();
          case ID_MISMATCH -> Future.failedFuture(new PresenceException(PresenceException.ID_MISMATCH));
        });
  }

  @Override
  public Future<PresenceEvent> leave(String stream, String sid) {
    Future<String> left = HazelcastSupport.onContext(context, streams.submitToKey(stream, new Leave(sid)));
    Future<Object> unlinked = HazelcastSupport.onContext(context, sessions.submitToKey(sid, new Link(stream, false)));
    // A link that stays behind is harmless (touches find no session) and expires with its entry.
    return Future.join(left, unlinked).transform(ar -> left.map(id -> id == null ? null : PresenceEvent.leave(stream, id)));
  }

  @Override
  public Future<List<PresenceRecord>> info(String stream) {
    return HazelcastSupport.onContext(context, streams.getAsync(stream)).map(stored -> stored == null ? List.of() : stored.presence.records());
  }

  @Override
  public Future<Void> touch(Collection<String> sids) {
    if (sids.isEmpty()) {
      return Future.succeededFuture();
    }
    long deadline = clock.getAsLong() + ttlMs;
    return HazelcastSupport.onContext(context, sessions.submitToKeys(new HashSet<>(sids), new Refresh())).compose(streamsOf -> {
      Map<String, List<String>> sidsByStream = new LinkedHashMap<>();
      streamsOf.forEach((sid, in) -> {
        if (in != null) {
          for (String stream : in) {
            sidsByStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(sid);
          }
        }
      });
      if (sidsByStream.isEmpty()) {
        return Future.succeededFuture();
      }
      return HazelcastSupport.onContext(context, streams.submitToKeys(sidsByStream.keySet(), new Touch(sidsByStream, deadline))).mapEmpty();
    });
  }

  @Override
  public Future<List<PresenceEvent>> expire() {
    long now = clock.getAsLong();
    return context.executeBlocking(() -> streams.keySet(new HasExpired(now))).compose(keys -> {
      if (keys.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return HazelcastSupport.onContext(context, streams.submitToKeys(keys, new Expire(now))).map(left -> {
        List<PresenceEvent> events = new ArrayList<>();
        left.forEach((stream, ids) -> {
          if (ids != null) {
            for (String id : ids) {
              events.add(PresenceEvent.leave(stream, id));
            }
          }
        });
        return events;
      });
    });
  }
}
