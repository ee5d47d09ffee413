package io.vxcable.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.contracts.bus.StreamBroadcast;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The NATS broker: history, epoch and session snapshots in NATS JetStream, shared by every node
 * connected to the same NATS (cluster), as anycable-go's {@code nats} broker. Names under a prefix
 * ({@link NatsNames}; AnyCable names are encoded, so any stream name works):
 * <ul>
 *   <li>a JetStream stream {@code <prefix>_ac_<token>} with the one subject
 *       {@code <prefix>_ac.<token>} per AnyCable stream ({@link NatsHistory}); the JetStream
 *       sequence is the offset, so every node's appends get unique, gap-free offsets;</li>
 *   <li>KV bucket {@code <prefix>_anycable_}: session snapshots by {@code <token of sid>}, the
 *       value being the expiry (8 bytes, clock milliseconds) then the state;</li>
 *   <li>KV bucket {@code <prefix>_anycable_epoch_}, key {@code _epoch_}: the cluster's epoch,
 *       created by the first broker and read by every later one.</li>
 * </ul>
 * Retention rules use the injected clock (stored with each message and snapshot); JetStream's
 * {@code MaxAge} and the KV TTL are real-time safety nets a minute longer. JetStream calls block,
 * so they run on worker threads; futures complete on the context that started the broker.
 *
 * <p>Limits: one append's messages of one stream are stored in list order, but get consecutive
 * offsets only while no other node appends to that stream at the same moment (the broker
 * verticle's shard ownership sees to that); a stream idle for 10 × {@code history_ttl} starts
 * over when next used, and an append racing with another node's reset of the same stream may
 * lose its history entry.
 */
public final class NatsBroker implements Broker {

  private static final Logger LOG = Logger.getLogger(NatsBroker.class.getName());
  /**
   * The servers' prefix: anycable-go's names behind {@code vxcable}, so the two never read each
   * other's differently encoded data on a shared NATS.
   */
  public static final String DEFAULT_PREFIX = "vxcable";
  /** Least clock time between two sweeps for emptied JetStream streams. */
  static final long SWEEP_EVERY_MS = 60_000;

  private final Context context;
  private final String epoch;
  private final long ttlMs;
  private final long sessionsTtlMs;
  private final LongSupplier clock;
  private final NatsHistory history;
  private final KeyValue sessions;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long lastSweep;

  private NatsBroker(Context context, String epoch, int ttlSeconds, int sessionsTtlSeconds, LongSupplier clock,
      NatsHistory history, KeyValue sessions) {
    this.context = context;
    this.epoch = epoch;
    this.ttlMs = ttlSeconds * 1000L;
    this.sessionsTtlMs = sessionsTtlSeconds * 1000L;
    this.clock = clock;
    this.history = history;
    this.sessions = sessions;
    this.lastSweep = clock.getAsLong();
  }

  /**
   * Creates the KV buckets when absent and reads or creates the cluster's epoch.
   *
   * @param prefix put before every JetStream name, {@code [A-Za-z0-9_-]*}
   * @param historyLimit messages kept per stream (0 = none)
   * @param historyTtlSeconds seconds a message is kept
   * @param sessionsTtlSeconds seconds a session snapshot is kept (0 = no snapshots)
   * @param clock wall clock in milliseconds
   */
  public static Future<NatsBroker> start(Vertx vertx, Connection connection, String prefix, int historyLimit,
      int historyTtlSeconds, int sessionsTtlSeconds, LongSupplier clock) {
    Context context = vertx.getOrCreateContext();
    NatsNames names;
    try {
      names = new NatsNames(prefix);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return context.executeBlocking(() -> {
      KeyValueManagement kvm = connection.keyValueManagement();
      ensureBucket(kvm, KeyValueConfiguration.builder().name(names.epochBucket()).maxHistoryPerKey(1)
          .storageType(StorageType.File).replicas(1).build());
      String epoch = epoch(connection.keyValue(names.epochBucket()));
      KeyValue sessions = null;
      if (sessionsTtlSeconds > 0) {
        ensureBucket(kvm, KeyValueConfiguration.builder().name(names.sessionsBucket()).maxHistoryPerKey(1)
            .storageType(StorageType.File).replicas(1)
            .ttl(Duration.ofSeconds(sessionsTtlSeconds).plus(NatsHistory.MARGIN)).build());
        sessions = connection.keyValue(names.sessionsBucket());
      }
      long lifetimeMs = 10L * historyTtlSeconds * 1000L;
      NatsHistory history = new NatsHistory(connection, names, Math.max(0, historyLimit), lifetimeMs);
      return new NatsBroker(context, epoch, historyTtlSeconds, sessionsTtlSeconds, clock, history, sessions);
    }, false);
  }

  private static void ensureBucket(KeyValueManagement kvm, KeyValueConfiguration config) throws Exception {
    try {
      kvm.create(config);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != NatsHistory.STREAM_EXISTS_OTHERWISE) {
        throw e;
      }
      kvm.update(config); // made by a node with other settings: the latest settings win
    }
  }

  /** The epoch in the bucket, or a new one when there is none yet (the first writer wins). */
  private static String epoch(KeyValue bucket) throws Exception {
    while (true) {
      String mine = MemoryBroker.randomEpoch();
      try {
        bucket.create(NatsNames.EPOCH_KEY, mine.getBytes(StandardCharsets.UTF_8));
        return mine;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != NatsHistory.WRONG_LAST_SEQUENCE) {
          throw e;
        }
      }
      KeyValueEntry existing = bucket.get(NatsNames.EPOCH_KEY);
      if (existing != null && existing.getValue() != null) {
        return existing.getValueAsString();
      }
    }
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages) {
    return append(messages, null);
  }

  /** Tags travel as JetStream message ids: the stream's duplicate window answers a repeat with the first sequence. */
  @Override
  public Future<List<StreamBroadcast>> append(List<StreamBroadcast> messages, List<String> tags) {
    Map<String, List<byte[]>> byStream = Batches.byStream(messages, m -> m.toBuilder().setEpoch(epoch).build().toByteArray());
    if (byStream.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    Map<String, List<String>> ids = Batches.tagsByStream(messages, tags);
    long now = clock.getAsLong();
    return blocking(() -> history.append(byStream, ids, now))
        .map(offsets -> Batches.stamp(messages, epoch, (stream, i) -> offsets.get(stream)[i]));
  }

  @Override
  public Future<List<StreamBroadcast>> historyFrom(String stream, String requestedEpoch, long offset) {
    if (!epoch.equals(requestedEpoch)) {
      return Future.failedFuture(new HistoryException("unknown epoch"));
    }
    long now = clock.getAsLong();
    return blocking(() -> history.read(stream, offset + 1, now)).compose(log -> {
      if (log == null) {
        return Future.failedFuture(new HistoryException("stream not found"));
      }
      try {
        return Future.succeededFuture(decode(log.after(offset, now - ttlMs)));
      } catch (HistoryException e) {
        return Future.failedFuture(e);
      }
    });
  }

  @Override
  public Future<List<StreamBroadcast>> historySince(String stream, long since) {
    long now = clock.getAsLong();
    return blocking(() -> history.read(stream, 0, now))
        .map(log -> log == null ? List.of() : decode(log.since(since, now - ttlMs)));
  }

  @Override
  public Future<Long> position(String stream) {
    long now = clock.getAsLong();
    return blocking(() -> history.position(stream, now));
  }

  @Override
  public Future<Void> commitSession(String sid, byte[] state) {
    if (sessions == null) {
      return Future.succeededFuture();
    }
    long expiresAt = clock.getAsLong() + sessionsTtlMs;
    byte[] value = ByteBuffer.allocate(8 + state.length).putLong(expiresAt).put(state).array();
    return blocking(() -> sessions.put(NatsNames.token(sid), value)).mapEmpty();
  }

  @Override
  public Future<byte[]> restoreSession(String sid) {
    if (sessions == null) {
      return Future.succeededFuture();
    }
    long now = clock.getAsLong();
    return blocking(() -> {
      KeyValueEntry entry = sessions.get(NatsNames.token(sid));
      byte[] value = entry == null ? null : entry.getValue();
      if (value == null || value.length < 8 || ByteBuffer.wrap(value).getLong() <= now) {
        return null;
      }
      return Arrays.copyOfRange(value, 8, value.length);
    });
  }

  /**
   * JetStream expires messages and the KV bucket snapshots by itself, and reads apply the exact
   * rules; this forgets what the node remembers of idle streams and, at most once a minute by the
   * clock, deletes the JetStream streams JetStream emptied.
   */
  @Override
  public void expire() {
    long now = clock.getAsLong();
    history.forgetIdle(now);
    if (now - lastSweep < SWEEP_EVERY_MS || !sweeping.compareAndSet(false, true)) {
      return;
    }
    lastSweep = now;
    blocking(history::sweep).onComplete(ar -> {
      sweeping.set(false);
      if (ar.failed()) {
        LOG.warning(() -> "sweeping NATS history streams failed: " + ar.cause());
      } else if (ar.result() > 0) {
        LOG.fine(() -> "deleted " + ar.result() + " idle NATS history streams");
      }
    });
  }

  /** Runs the sweep now, whatever the clock says; the number of JetStream streams deleted. */
  Future<Integer> sweep() {
    return blocking(history::sweep);
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return context.executeBlocking(call, false);
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
