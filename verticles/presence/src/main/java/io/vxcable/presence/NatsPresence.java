package io.vxcable.presence;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.presence.NatsPresenceStore.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The NATS presence: every node's sessions in one JetStream KV bucket,
 * {@code <prefix>_anycable_presence_}, one entry per stream (see {@link NatsPresenceStore}), so
 * any number of presence verticles on any nodes serve at once (anycable-go's NATS broker keeps no
 * presence; this is ours).
 *
 * <p>Each change reads the stream's entry, applies {@link StreamPresence}'s rules with deadlines
 * from the injected clock, and writes it back only if its revision is unchanged, else starts over:
 * of concurrent joins of one id exactly one gets the join event, of concurrent removals of an id's
 * last session (leave or expiry, from any node) exactly one gets the leave event. A KV watch keeps
 * a copy of the bucket on each node ({@link NatsPresenceMirror}) to find a touch's streams and the
 * streams with expired sessions without scanning the bucket. The bucket's TTL,
 * 10 × {@code presence_ttl} + 1 minute of real time, only collects entries that nobody changed,
 * touched or expired for that long. JetStream calls block, so they run on worker threads; futures
 * complete on the context that started the presence.
 *
 * <p>Limit: a stream's whole presence is one KV value, so it must fit the server's
 * {@code max_payload} (1 MB by default: some ten thousand sessions).
 */
public final class NatsPresence implements Presence {

  /** The servers' prefix (see {@code NatsBroker.DEFAULT_PREFIX}). */
  public static final String DEFAULT_PREFIX = "vxcable";
  static final long LOAD_TIMEOUT_MS = 10_000;

  private final Context context;
  private final NatsPresenceStore store;
  private final NatsPresenceMirror mirror;
  private final NatsKeyValueWatchSubscription watch;
  private final long ttlMs;
  private final LongSupplier clock;

  private NatsPresence(Context context, NatsPresenceStore store, NatsPresenceMirror mirror,
      NatsKeyValueWatchSubscription watch, int ttlSeconds, LongSupplier clock) {
    this.context = context;
    this.store = store;
    this.mirror = mirror;
    this.watch = watch;
    this.ttlMs = ttlSeconds * 1000L;
    this.clock = clock;
  }

  /**
   * Creates the bucket when absent and loads this node's copy of it.
   *
   * @param prefix put before the bucket's name, {@code [A-Za-z0-9_-]*}
   * @param ttlSeconds seconds a session stays present after its last join or touch
   * @param clock wall clock in milliseconds
   */
  public static Future<NatsPresence> start(Vertx vertx, Connection connection, String prefix, int ttlSeconds,
      LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    String bucket;
    try {
      bucket = NatsPresenceStore.bucket(prefix);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return context.executeBlocking(() -> {
      KeyValueConfiguration config = KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1)
          .storageType(StorageType.File).replicas(1)
          .ttl(Duration.ofSeconds(10L * ttlSeconds).plus(Duration.ofMinutes(1))).build();
      KeyValueManagement kvm = connection.keyValueManagement();
      try {
        kvm.create(config);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != NatsPresenceStore.STREAM_EXISTS_OTHERWISE) {
          throw e;
        }
        kvm.update(config); // made by a node with another presence_ttl: the latest wins
      }
      KeyValue kv = connection.keyValue(bucket);
      NatsPresenceMirror mirror = new NatsPresenceMirror();
      NatsKeyValueWatchSubscription watch = kv.watchAll(mirror);
      if (!mirror.awaitLoaded(LOAD_TIMEOUT_MS)) {
        watch.unsubscribe();
        throw new TimeoutException("the presence bucket " + bucket + " did not load in " + LOAD_TIMEOUT_MS + " ms");
      }
      return new NatsPresence(context, new NatsPresenceStore(kv, mirror), mirror, watch, ttlSeconds, clock);
    }, false);
  }

  @Override
  public Future<PresenceEvent> join(String stream, String sid, String id, byte[] info) {
    long deadline = clock.getAsLong() + ttlMs;
    return blocking(() -> store.change(stream, s -> {
      StreamPresence.Joined joined = s.presence().join(sid, id, info, deadline);
      if (joined == StreamPresence.Joined.ID_MISMATCH) {
        return new Outcome<>(joined, false);
      }
      s.sids().add(sid);
      return new Outcome<>(joined, true);
    })).compose(joined -> switch (joined) {
      case NEW_ID -> Future.succeededFuture(PresenceEvent.join(stream, id, info));
      case KNOWN_ID -> Future.succeededFuture();
      case ID_MISMATCH -> Future.failedFuture(new PresenceException(PresenceException.ID_MISMATCH));
    });
  }

  @Override
  public Future<PresenceEvent> leave(String stream, String sid) {
    return blocking(() -> store.change(stream, s -> {
      if (!s.presence().holds(sid)) {
        return new Outcome<String>(null, false);
      }
      s.sids().remove(sid);
      return new Outcome<>(s.presence().leave(sid), true);
    })).map(id -> id == null ? null : PresenceEvent.leave(stream, id));
  }

  @Override
  public Future<List<PresenceRecord>> info(String stream) {
    return blocking(() -> store.read(stream)).map(s -> s == null ? List.of() : s.presence().records());
  }

  @Override
  public Future<Void> touch(Collection<String> sids) {
    if (sids.isEmpty()) {
      return Future.succeededFuture();
    }
    long deadline = clock.getAsLong() + ttlMs;
    List<Future<Object>> touched = new ArrayList<>();
    mirror.streamsOf(sids).forEach((stream, in) ->
        touched.add(blocking(() -> store.change(stream, s -> new Outcome<>(null, s.presence().touch(in, deadline))))));
    return Future.all(touched).mapEmpty();
  }

  @Override
  public Future<List<PresenceEvent>> expire() {
    long now = clock.getAsLong();
    List<Future<List<PresenceEvent>>> swept = new ArrayList<>();
    for (String stream : mirror.expiring(now)) {
      swept.add(blocking(() -> store.change(stream, s -> {
        StreamPresence.Expired expired = s.presence().expire(now);
        expired.sessions().forEach(s.sids()::remove);
        List<PresenceEvent> events = new ArrayList<>(expired.leftIds().size());
        for (String id : expired.leftIds()) {
          events.add(PresenceEvent.leave(stream, id));
        }
        return new Outcome<>(events, !expired.sessions().isEmpty());
      })));
    }
    return Future.all(swept).map(all -> {
      List<PresenceEvent> events = new ArrayList<>();
      for (Future<List<PresenceEvent>> f : swept) {
        events.addAll(f.result());
      }
      return events;
    });
  }

  /** Stops the watch (closing the connection stops it too). */
  public Future<Void> close() {
    return blocking(() -> {
      watch.unsubscribe();
      return null;
    });
  }

  /** How many streams this node's copy of the bucket holds. */
  int mirrored() {
    return mirror.size();
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return context.executeBlocking(call, false);
  }
}
