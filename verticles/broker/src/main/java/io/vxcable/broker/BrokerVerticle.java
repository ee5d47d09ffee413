package io.vxcable.broker;

import com.google.protobuf.ByteString;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vxcable.cluster.HazelcastSupport;
import io.vxcable.config.ConfigException;
import io.vxcable.config.Settings;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.HistoryReply;
import io.vxcable.contracts.bus.HistoryRequest;
import io.vxcable.contracts.bus.PublishAck;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.PublishBatchAck;
import io.vxcable.contracts.bus.SessionRestoreReply;
import io.vxcable.contracts.bus.SessionRestoreRequest;
import io.vxcable.contracts.bus.SessionSnapshot;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.contracts.bus.StreamPositionReply;
import io.vxcable.contracts.bus.StreamPositionRequest;
import io.vxcable.observability.Metrics;
import io.vxcable.observability.WarningRate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The broker: the single owner of stream positions. Publications come in on the per-shard
 * {@code cable.broker.publish.<shard>} addresses, are stamped and stored, then published on the
 * stream's broadcast shard, one stream's in arrival order. Serves history, streams' latest
 * positions and session snapshots to gateways. With {@code --broker} empty or {@code none} it registers nothing.
 *
 * <ul>
 *   <li>{@code memory}: the state lives in this instance, which takes every shard; run one per
 *       cluster.</li>
 *   <li>{@code hazelcast}: the state lives in the cluster's Hazelcast maps; each broker node takes
 *       the shards that rendezvous hashing over the live broker nodes gives it, and takes over a
 *       lost node's shards within about a second.</li>
 *   <li>{@code redis} (Redis Streams) and {@code nats} (JetStream): the state lives in that
 *       service and outlives every node. In a cluster the broker nodes split the shards as with
 *       {@code hazelcast}; unclustered nodes (sharing broadcasts through {@code --pubsub}) each
 *       take every shard of their own bus, and the service keeps each stream's offsets in one
 *       sequence.</li>
 * </ul>
 * Only the first broker instance of a Vert.x instance is active (several in one process would
 * split a shard's order); the others stay idle.
 */
public final class BrokerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(BrokerVerticle.class.getName());
  private static final Set<Vertx> ACTIVE = ConcurrentHashMap.newKeySet();
  /** How often ownership is re-checked besides membership events. */
  static final long OWNERSHIP_CHECK_MS = 1000;
  /** How long after taking over a left member's shards the gateways are asked to resync them. */
  static final long RESYNC_DELAY_MS = 1000;
  /** Longest a leaving broker node still serves its shards after removing its entry, while the others take them. */
  static final long HANDOVER_MS = 2000;
  /** Longest wait, when joining, for the cluster's partition migrations to end before taking shards. */
  static final long SETTLE_MAX_MS = 10_000;

  private Broker broker;
  private StreamSequencer sequencer;
  /** The broker nodes at the last rebalance (null before the first). */
  private Set<UUID> knownBrokers;
  private boolean active;
  /** False while joining a cluster: shards are taken only once its partitions have settled. */
  private boolean settled = true;
  private long sweeper = -1;
  private long ownershipTimer = -1;
  /** Streams' last positions, named to the gateways once each goes quiet ({@link QuietHeads}). */
  private final QuietHeads heads = new QuietHeads();
  private long headsTimer = -1;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final MessageConsumer<?>[] shardConsumers = new MessageConsumer<?>[Addresses.BROADCAST_SHARDS];
  /** Batches taken in the last minute, so a retry is answered, not stored twice. */
  private final RecentBatches recentBatches = new RecentBatches(20_000, 60_000, System::currentTimeMillis);
  private HazelcastInstance hz;
  /** The cluster's broker nodes (null unclustered). */
  private BrokerNodes brokerNodes;

  private Metrics metrics;
  /** Batches the backend refused (Redis, NATS or Hazelcast unavailable): one warning line per 10 s. */
  private final WarningRate storeFailures = new WarningRate();
  private java.util.function.Supplier<Future<Void>> closeBackend = Future::succeededFuture;

  @Override
  public Future<?> start() {
    BusCodecs.ensureRegistered(vertx);
    Settings s = Settings.fromVerticleConfig(config());
    metrics = Metrics.of(vertx, s);
    String adapter = s.string("broker");
    if (adapter.isEmpty() || adapter.equals("none")) {
      return Future.succeededFuture();
    }
    if (!adapter.equals("memory") && !adapter.equals("hazelcast") && !BrokerBackends.external(adapter)) {
      return Future.failedFuture(new ConfigException("--broker=" + adapter + " is not supported (memory, hazelcast, redis, nats)"));
    }
    HazelcastInstance cluster = HazelcastSupport.member(vertx);
    if (adapter.equals("hazelcast") && cluster == null) {
      return Future.failedFuture(new ConfigException("--broker=hazelcast needs a clustered Vert.x with the Hazelcast "
          + "cluster manager (vertx run ... -cluster, or scripts/anycable, which clusters for it)"));
    }
    if (!ACTIVE.add(vertx)) {
      LOG.warning("a broker already runs in this process: this instance stays idle");
      return Future.succeededFuture();
    }
    active = true;
    int limit = s.integer("history_limit");
    int ttl = s.integer("history_ttl");
    int sessionsTtl = s.integer("sessions_ttl");
    String retention = "history " + limit + " messages / " + ttl + " s, sessions " + sessionsTtl + " s";
    if (adapter.equals("memory")) {
      broker = new MemoryBroker(limit, ttl, sessionsTtl, System::currentTimeMillis);
      sweeper = vertx.setPeriodic(1000, id -> broker.expire());
      return serve().compose(v -> takeAllShards()).onSuccess(v -> LOG.info(() -> "memory broker, epoch " + broker.epoch() + ", " + retention));
    }
    Future<Broker> opened;
    if (adapter.equals("hazelcast")) {
      opened = HazelcastBroker.start(vertx, cluster, HazelcastBroker.DEFAULT_NAMESPACE, limit, ttl, sessionsTtl, System::currentTimeMillis)
          .map(b -> b);
    } else {
      // Redis or NATS hold the state; in a cluster the broker nodes still split the shards, so
      // one node stamps a stream's publications in order; unclustered, each node stamps its own
      // intake's publications (the backend keeps the offsets of a stream in one sequence).
      opened = BrokerBackends.open(vertx, s, adapter, System::currentTimeMillis).map(o -> {
        closeBackend = o.close();
        sweeper = vertx.setPeriodic(1000, id -> broker.expire());
        return o.broker();
      });
    }
    hz = cluster;
    return opened.compose(b -> {
          broker = b;
          return serve();
        })
        .compose(v -> cluster != null ? joinBrokerNodes().mapEmpty() : takeAllShards().mapEmpty())
        .onSuccess(v -> LOG.info(() -> adapter + " broker, epoch " + broker.epoch() + ", " + retention))
        .onFailure(err -> ACTIVE.remove(vertx));
  }

  private Future<?> takeAllShards() {
    List<Future<?>> shards = new ArrayList<>();
    for (int shard = 0; shard < Addresses.BROADCAST_SHARDS; shard++) {
      shards.add(takeShard(shard));
    }
    return Future.all(shards);
  }

  @Override
  public Future<?> stop() {
    if (!active) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(sweeper);
    vertx.cancelTimer(ownershipTimer);
    vertx.cancelTimer(headsTimer);
    // Break after make: the others take this node's shards once its entry is gone, and until the
    // bus names their consumers (at most HANDOVER_MS) this node still stores what is sent to it.
    Future<?> handedOver = Future.succeededFuture();
    if (brokerNodes != null) {
      boolean others = brokerNodes.alive(System.currentTimeMillis()).size() > 1;
      List<String> held = new ArrayList<>();
      for (int shard = 0; shard < Addresses.BROADCAST_SHARDS; shard++) {
        if (shardConsumers[shard] != null) {
          held.add(Addresses.brokerPublish(shard));
        }
      }
      long leaving = System.currentTimeMillis();
      handedOver = brokerNodes.leave().transform(ar -> others
          ? ShardHandover.takenElsewhere(vertx, held, leaving + HANDOVER_MS).onComplete(v -> LOG.info(() -> "broker shards: "
              + held.size() + " handed over in " + (System.currentTimeMillis() - leaving) + " ms"))
          : Future.succeededFuture());
    }
    return handedOver.transform(ar -> {
      List<Future<?>> done = new ArrayList<>();
      for (MessageConsumer<?> c : consumers) {
        done.add(c.unregister());
      }
      for (MessageConsumer<?> c : shardConsumers) {
        if (c != null) {
          done.add(c.unregister());
        }
      }
      ACTIVE.remove(vertx);
      return Future.join(done);
    }).eventually(() -> closeBackend.get());
  }

  /** History and sessions: any broker instance answers, so these are registered everywhere. */
  private Future<?> serve() {
    EventBus bus = vertx.eventBus();
    Metrics.Latency stored = metrics.latency("broadcast_store_seconds",
        "Time from a publication's arrival at an intake to its storage in the broker's history");
    sequencer = new StreamSequencer(broker, stamped -> {
      stored.sinceMicros(stamped.getReceivedAtUs());
      bus.publish(Addresses.broadcastAddress(stamped.getStream()), stamped);
      heads.note(stamped, System.currentTimeMillis());
    });
    headsTimer = vertx.setPeriodic(QuietHeads.QUIET_MS / 2, id -> {
      JsonObject due = heads.due(System.currentTimeMillis());
      if (due != null) {
        bus.publish(Addresses.EVENTS_RESYNC, new JsonObject().put("heads", due));
      }
    });
    consumers.add(bus.<HistoryRequest>consumer(Addresses.BROKER_HISTORY, m -> {
      HistoryRequest r = m.body();
      Future<List<StreamBroadcast>> history = r.getHasPosition()
          ? broker.historyFrom(r.getStream(), r.getEpoch(), r.getOffset())
          : broker.historySince(r.getStream(), r.getSince());
      history.onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(HistoryReply.newBuilder().addAllMessages(ar.result()).build());
        } else if (ar.cause() instanceof Broker.HistoryException e) {
          m.reply(HistoryReply.newBuilder().setError(e.getMessage()).build());
        } else {
          LOG.warning(() -> "history of " + r.getStream() + " failed: " + ar.cause());
          m.fail(500, String.valueOf(ar.cause().getMessage()));
        }
      });
    }));
    consumers.add(bus.<StreamPositionRequest>consumer(Addresses.BROKER_POSITION, m ->
        broker.position(m.body().getStream()).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(StreamPositionReply.newBuilder().setEpoch(broker.epoch()).setOffset(ar.result()).build());
          } else {
            LOG.warning(() -> "position of " + m.body().getStream() + " failed: " + ar.cause());
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        })));
    // Gateways send snapshots without waiting; a requester gets an empty reply once it is stored.
    consumers.add(bus.<SessionSnapshot>consumer(Addresses.BROKER_SESSION_COMMIT, m ->
        broker.commitSession(m.body().getSid(), m.body().getState().toByteArray()).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(null);
          } else {
            LOG.warning(() -> "session snapshot not stored: " + ar.cause());
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        })));
    consumers.add(bus.<SessionRestoreRequest>consumer(Addresses.BROKER_SESSION_RESTORE, m ->
        broker.restoreSession(m.body().getSid()).onComplete(ar -> {
          if (ar.failed()) {
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          } else if (ar.result() == null) {
            m.reply(SessionRestoreReply.getDefaultInstance());
          } else {
            m.reply(SessionRestoreReply.newBuilder().setFound(true).setState(ByteString.copyFrom(ar.result())).build());
          }
        })));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private Future<?> takeShard(int shard) {
    MessageConsumer<PublishBatch> c = vertx.eventBus().consumer(Addresses.brokerPublish(shard), m ->
        recentBatches.once(m.body().getId(), () -> store(m.body())).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            storeFailures.warn(LOG, n -> "publications not stored (" + WarningRate.count(n, "request") + ", the last for shard "
                + shard + "): " + ar.cause() + "; the intake retries each for 15 s, then answers 501");
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        }));
    shardConsumers[shard] = c;
    return c.completion();
  }

  /** Stamps and stores a batch in its order; the positions once every publication is stored and published. */
  private Future<PublishBatchAck> store(PublishBatch batch) {
    List<Future<StreamBroadcast>> stamped = new ArrayList<>(batch.getBroadcastsCount());
    String id = batch.getId();
    for (int i = 0; i < batch.getBroadcastsCount(); i++) {
      stamped.add(sequencer.submit(batch.getBroadcasts(i), id.isEmpty() ? null : id + ":" + i));
    }
    return Future.all(stamped).map(v -> {
      PublishBatchAck.Builder ack = PublishBatchAck.newBuilder();
      for (Future<StreamBroadcast> f : stamped) {
        ack.addAcks(PublishAck.newBuilder().setEpoch(f.result().getEpoch()).setOffset(f.result().getOffset()));
      }
      return ack.build();
    });
  }

  private void dropShard(int shard) {
    shardConsumers[shard].unregister();
    shardConsumers[shard] = null;
  }

  /**
   * Joins the broker nodes make-before-break: follows them, waits for the cluster's partition
   * migrations (started by this member's arrival) to end, takes the shards this node will own and
   * waits until its consumers are known cluster-wide, and only then announces itself, so the
   * current owners keep serving those shards until the new owner can (they drop them when they
   * see its entry). A send finds no handler only if it races that, never for a migration's length.
   */
  private Future<?> joinBrokerNodes() {
    brokerNodes = new BrokerNodes(vertx, hz, String.valueOf(config().getString("node_id", "")));
    settled = false;
    return brokerNodes.follow(this::rebalance)
        .compose(v -> clusterSafe(System.currentTimeMillis() + SETTLE_MAX_MS))
        .compose(v -> {
          settled = true;
          return rebalance();
        })
        .compose(v -> brokerNodes.announce())
        .onSuccess(v -> ownershipTimer = vertx.setPeriodic(OWNERSHIP_CHECK_MS, id -> rebalance()));
  }

  /** Completes once no partition migrates and every backup is in sync, or at {@code deadline}. */
  private Future<Void> clusterSafe(long deadline) {
    return vertx.executeBlocking(() -> hz.getPartitionService().isClusterSafe(), false).otherwise(false).compose(safe -> {
      if (safe) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() >= deadline) {
        LOG.info(() -> "partitions still migrating after " + SETTLE_MAX_MS / 1000 + " s: taking broker shards anyway");
        return Future.succeededFuture();
      }
      return vertx.timer(200).compose(v -> clusterSafe(deadline));
    });
  }

  /**
   * Asks every gateway, once the cluster's data has settled, to read the history of the streams in
   * shards this node took over from a member that left: live copies it had stored and not yet sent.
   */
  private void resyncLater(JsonArray gained) {
    if (!gained.isEmpty()) {
      vertx.setTimer(RESYNC_DELAY_MS, id -> vertx.eventBus().publish(Addresses.EVENTS_RESYNC, gained));
    }
  }

  /**
   * Takes and drops shards to match the broker nodes alive (on membership events and every
   * {@link #OWNERSHIP_CHECK_MS}, whichever sees a change first); shards taken because a broker
   * node left are resynced ({@link #resyncLater}). Completes once the consumers of the shards it
   * took are registered cluster-wide.
   */
  private Future<?> rebalance() {
    JsonArray taken = new JsonArray();
    if (!active || !settled || hz == null || !hz.getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    List<Future<?>> registered = new ArrayList<>();
    UUID self = brokerNodes.self();
    Set<UUID> brokers = brokerNodes.alive(System.currentTimeMillis());
    boolean left = knownBrokers != null && !brokers.containsAll(knownBrokers);
    knownBrokers = brokers;
    BitSet owned = ShardOwners.owned(self, brokers);
    int gained = 0;
    int lost = 0;
    for (int shard = 0; shard < Addresses.BROADCAST_SHARDS; shard++) {
      if (owned.get(shard) && shardConsumers[shard] == null) {
        registered.add(takeShard(shard));
        taken.add(shard);
        gained++;
      } else if (!owned.get(shard) && shardConsumers[shard] != null) {
        dropShard(shard);
        lost++;
      }
    }
    if (gained + lost > 0) {
      int g = gained;
      int l = lost;
      LOG.info(() -> "broker shards: " + owned.cardinality() + " of " + Addresses.BROADCAST_SHARDS + " on this node (+" + g
          + " -" + l + ", " + brokers.size() + " broker node(s))");
    }
    if (left) {
      resyncLater(taken);
    }
    return Future.join(registered);
  }
}
