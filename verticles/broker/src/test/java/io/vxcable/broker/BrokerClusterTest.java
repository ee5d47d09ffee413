package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
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
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.HazelcastClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three clustered Vert.x nodes in this JVM, each with a hazelcast broker: publications sent on one
 * node are stamped by the shard's single owner, history and the stream's position are read on
 * other nodes, and history, epoch, positions and sessions survive the abrupt loss of the stream's
 * owner and then of another node; a batch the dead owner stored, retried on a survivor, is not
 * stored twice.
 */
class BrokerClusterTest {

  static final String STREAM = "chat/42";
  static final String RETRIED = "batch-" + UUID.randomUUID();
  final List<Vertx> nodes = new ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    for (var config : HazelcastClusters.configs(3)) {
      Vertx v = HazelcastClusters.node(config);
      BusCodecs.ensureRegistered(v);
      nodes.add(v);
    }
    JsonObject conf = new JsonObject().put("broker", "hazelcast").put("history_limit", 100).put("history_ttl", 300)
        .put("sessions_ttl", 300);
    for (Vertx v : nodes) {
      v.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(conf)).await(60, TimeUnit.SECONDS);
    }
    // Every node sees the three broker nodes (so the earlier owners dropped the shards they lost).
    for (Vertx v : nodes) {
      Eventually.eventually(() -> assertThat(hz(v).getReplicatedMap(BrokerNodes.MAP).size()).isEqualTo(3));
    }
  }

  @AfterEach
  void leave() {
    for (Vertx v : nodes) {
      try {
        v.close().await(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // a node the test killed may not close cleanly
      }
    }
  }

  @Test
  void oneOwnerStampsHistoryIsSharedAndSurvivesTheLossOfNodes() throws Exception {
    Vertx a = nodes.get(0);
    Vertx b = nodes.get(1);
    Vertx c = nodes.get(2);
    List<StreamBroadcast> seenOnB = new CopyOnWriteArrayList<>();
    MessageConsumer<StreamBroadcast> sub = b.eventBus().consumer(Addresses.broadcastAddress(STREAM), m -> {
      if (m.body().getStream().equals(STREAM)) {
        seenOnB.add(m.body());
      }
    });
    sub.completion().await(20, TimeUnit.SECONDS);

    // Published from A and from C, one after the other: one owner gives 1..20 in this order.
    String epoch = null;
    for (int i = 1; i <= 20; i++) {
      // The last one with a batch id, as the intake sends: retried below after its owner died.
      PublishAck ack = publish(i % 2 == 0 ? a : c, STREAM, "m" + i, i == 20 ? RETRIED : "");
      assertThat(ack.getOffset()).isEqualTo(i);
      epoch = epoch == null ? ack.getEpoch() : epoch;
      assertThat(ack.getEpoch()).isEqualTo(epoch);
    }
    awaitSize(seenOnB, 20);
    assertThat(seenOnB.stream().map(StreamBroadcast::getOffset).toList())
        .containsExactlyElementsOf(range(1, 20));

    HistoryReply fromC = history(c, epoch, 10);
    assertThat(fromC.getError()).isEmpty();
    assertThat(fromC.getMessagesList().stream().map(m -> m.getMessage().toStringUtf8()).toList())
        .containsExactlyElementsOf(range(11, 20).stream().map(i -> "m" + i).toList());
    StreamPositionReply tail = position(a);
    assertThat(tail.getEpoch()).isEqualTo(epoch);
    assertThat(tail.getOffset()).isEqualTo(20);
    // Stored (acknowledged) before the loss: a snapshot still in flight to a dying node may be lost.
    SessionSnapshot snapshot = SessionSnapshot.newBuilder().setSid("sid-1").setState(ByteString.copyFromUtf8("{\"ids\":\"u1\"}")).build();
    retry(() -> c.eventBus().request(Addresses.BROKER_SESSION_COMMIT, snapshot, new DeliveryOptions().setSendTimeout(3000)));

    // Gateways are asked to resync shards only when a broker node leaves, not while the cluster
    // forms. (The heads of quiet streams travel on the same address, as an object: not counted.)
    Map<Vertx, List<JsonArray>> resyncs = new java.util.HashMap<>();
    Map<Vertx, List<io.vertx.core.json.JsonObject>> heads = new java.util.HashMap<>();
    for (Vertx v : nodes) {
      List<JsonArray> got = new CopyOnWriteArrayList<>();
      List<io.vertx.core.json.JsonObject> named = new CopyOnWriteArrayList<>();
      resyncs.put(v, got);
      heads.put(v, named);
      v.eventBus().consumer(Addresses.EVENTS_RESYNC, m -> {
        if (m.body() instanceof JsonArray shards) {
          got.add(shards);
        } else if (m.body() instanceof io.vertx.core.json.JsonObject o) {
          named.add(o);
        }
      }).completion().await(20, TimeUnit.SECONDS);
    }
    // A stream's owner names its last offset to every node once the stream is quiet.
    PublishAck quiet = publish(a, "quiet/1", "only", "");
    Eventually.eventually(() -> {
      for (Vertx v : nodes) {
        assertThat(heads.get(v)).as("heads seen on every node").anyMatch(o -> o.getJsonObject("heads")
            .getJsonArray("quiet/1", new JsonArray()).equals(new JsonArray().add(quiet.getEpoch()).add(quiet.getOffset())));
      }
    });

    // Kill the owner of the stream's shard without a goodbye, once every partition has its backup
    // (a cluster a member joined seconds ago may still be copying them: one backup covers one loss).
    for (Vertx v : nodes) {
      awaitClusterSafe(v);
    }
    assertThat(resyncs.values()).as("no resync while nobody left").allMatch(List::isEmpty);
    List<UUID> members = nodes.stream().map(BrokerClusterTest::uuid).toList();
    UUID owner = ShardOwners.owner(Addresses.shardOf(STREAM), members);
    Vertx killed = nodes.get(members.indexOf(owner));
    hz(killed).getLifecycleService().terminate();
    List<Vertx> alive = new ArrayList<>(nodes);
    alive.remove(killed);

    Vertx x = alive.get(0);
    Vertx y = alive.get(1);
    // The survivors took the dead owner's shards and ask every gateway to read their streams' history
    // (live copies the dead node stored and did not send); the stream's shard is among them.
    int shard = Addresses.shardOf(STREAM);
    Eventually.eventually(() -> {
      for (Vertx v : alive) {
        assertThat(resyncs.get(v)).as("resyncs seen on a survivor").anyMatch(shards -> shards.contains(shard));
      }
    });
    // The intake retries a batch whose answer it did not get: whichever survivor takes it, the
    // batch is not stored again (a new owner finds its tag in the stream's entry).
    PublishAck retried = publish(x, STREAM, "m20", RETRIED);
    assertThat(retried.getOffset()).isEqualTo(20);
    assertThat(retried.getEpoch()).isEqualTo(epoch);
    HistoryReply afterLoss = history(x, epoch, 0);
    assertThat(afterLoss.getError()).isEmpty();
    assertThat(afterLoss.getMessagesCount()).isEqualTo(20);
    PublishAck next = publish(y, STREAM, "m21");
    assertThat(next.getEpoch()).isEqualTo(epoch);
    assertThat(next.getOffset()).isEqualTo(21);
    assertThat(position(x).getOffset()).isEqualTo(21);
    assertThat(restore(x, "sid-1")).isEqualTo("{\"ids\":\"u1\"}");

    // Once the two survivors hold a backup of everything again, lose one more.
    awaitClusterSafe(x);
    awaitClusterSafe(y);
    hz(y).getLifecycleService().terminate();
    PublishAck last = publish(x, STREAM, "m22");
    assertThat(last.getOffset()).isEqualTo(22);
    assertThat(last.getEpoch()).isEqualTo(epoch);
    HistoryReply onLastNode = history(x, epoch, 0);
    assertThat(onLastNode.getMessagesList().stream().map(StreamBroadcast::getOffset).toList())
        .containsExactlyElementsOf(range(1, 22));
    assertThat(restore(x, "sid-1")).isEqualTo("{\"ids\":\"u1\"}");
  }

  /** Sends to the shard owner, retrying while ownership settles (as the intake does). */
  static PublishAck publish(Vertx from, String stream, String data) throws Exception {
    return publish(from, stream, data, "");
  }

  static PublishAck publish(Vertx from, String stream, String data, String batchId) throws Exception {
    StreamBroadcast b = StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8(data)).build();
    return retry(() -> from.eventBus().<PublishBatchAck>request(Addresses.brokerPublishAddress(stream),
        PublishBatch.newBuilder().setId(batchId).addBroadcasts(b).build(), new DeliveryOptions().setSendTimeout(3000)).map(m -> m.body().getAcks(0)));
  }

  static HistoryReply history(Vertx from, String epoch, long offset) throws Exception {
    HistoryRequest r = HistoryRequest.newBuilder().setStream(STREAM).setHasPosition(true).setEpoch(epoch).setOffset(offset).build();
    return retry(() -> from.eventBus().<HistoryReply>request(Addresses.BROKER_HISTORY, r,
        new DeliveryOptions().setSendTimeout(3000)).map(m -> m.body()));
  }

  static StreamPositionReply position(Vertx from) throws Exception {
    return retry(() -> from.eventBus().<StreamPositionReply>request(Addresses.BROKER_POSITION,
        StreamPositionRequest.newBuilder().setStream(STREAM).build(), new DeliveryOptions().setSendTimeout(3000)).map(m -> m.body()));
  }

  static String restore(Vertx from, String sid) throws Exception {
    SessionRestoreReply r = retry(() -> from.eventBus().<SessionRestoreReply>request(Addresses.BROKER_SESSION_RESTORE,
        SessionRestoreRequest.newBuilder().setSid(sid).build(), new DeliveryOptions().setSendTimeout(3000)).map(m -> m.body()));
    return r.getFound() ? r.getState().toStringUtf8() : null;
  }

  static <T> T retry(java.util.function.Supplier<Future<T>> call) {
    return Eventually.eventually(Duration.ofSeconds(30), Duration.ofMillis(100), () -> call.get().await(10, TimeUnit.SECONDS));
  }

  static void awaitSize(List<?> list, int size) {
    Eventually.eventually(Duration.ofSeconds(20), Duration.ofMillis(20), () -> assertThat(list).hasSize(size));
  }

  static void awaitClusterSafe(Vertx v) {
    Eventually.eventually(Duration.ofSeconds(60), Duration.ofMillis(100),
        () -> assertThat(hz(v).getPartitionService().isClusterSafe()).isTrue());
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  static HazelcastInstance hz(Vertx v) {
    return ((HazelcastClusterManager) ((VertxInternal) v).clusterManager()).getHazelcastInstance();
  }

  static UUID uuid(Vertx v) {
    return hz(v).getCluster().getLocalMember().getUuid();
  }
}
