package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryEventType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vxcable.contracts.Addresses;
import io.vxcable.contracts.BusCodecs;
import io.vxcable.contracts.bus.PublishBatch;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.HazelcastClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broker node joining and leaving a real two-member cluster hands its shards over
 * make-before-break: every publish request sent meanwhile, to every shard, finds an owner and is
 * answered, at worst after a quick retry or two (see {@link #send}).
 */
class BrokerHandoverTest {

  static final JsonObject CONF = new JsonObject().put("broker", "hazelcast").put("history_limit", 100)
      .put("history_ttl", 300).put("sessions_ttl", 300);

  final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void leave() throws Exception {
    for (Vertx v : nodes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** One stream name per publish shard. */
  static Map<Integer, String> streamPerShard() {
    Map<Integer, String> out = new ConcurrentHashMap<>();
    for (int i = 0; out.size() < Addresses.BROADCAST_SHARDS; i++) {
      out.putIfAbsent(Addresses.shardOf("s" + i), "s" + i);
    }
    return out;
  }

  /** Two clustered nodes, a broker on the first (which owns every shard); the first. */
  Vertx brokerAlone() throws Exception {
    for (var config : HazelcastClusters.configs(2)) {
      Vertx v = HazelcastClusters.node(config);
      BusCodecs.ensureRegistered(v);
      nodes.add(v);
    }
    nodes.get(0).deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(CONF)).await(60, TimeUnit.SECONDS);
    return nodes.get(0);
  }

  @Test
  void noPublishRequestFindsNoOwnerWhileABrokerNodeJoinsAndLeaves() throws Exception {
    Vertx first = brokerAlone();
    Vertx second = nodes.get(1);
    var brokerNodes = BrokerClusterTest.hz(first).<UUID, String>getReplicatedMap(BrokerNodes.MAP);

    // Every 20 ms, one request per shard from the first node; each must be answered (see send).
    Map<Integer, String> streams = streamPerShard();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<String> phase = new AtomicReference<>("alone");
    AtomicInteger retried = new AtomicInteger();
    long probe = first.setPeriodic(20, id -> streams.forEach((shard, stream) -> {
      PublishBatch batch = PublishBatch.newBuilder().setId(UUID.randomUUID().toString())
          .addBroadcasts(StreamBroadcast.newBuilder().setStream(stream).setMessage(ByteString.copyFromUtf8("{}"))).build();
      send(first, shard, batch, 1, phase.get(), answered, retried, failures);
    }));
    try {
      Eventually.eventually(() -> assertThat(answered.get()).isGreaterThan(100));
      phase.set("joining");
      String deployment = second.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(CONF))
          .await(60, TimeUnit.SECONDS);
      Eventually.eventually(() -> assertThat(brokerNodes.size()).as("both broker nodes announced").isEqualTo(2));
      phase.set("joined");
      int afterJoin = answered.get();
      Eventually.eventually(() -> assertThat(answered.get()).isGreaterThan(afterJoin + 500));

      phase.set("leaving");
      second.undeploy(deployment).await(30, TimeUnit.SECONDS);
      phase.set("undeployed");
      Eventually.eventually(() -> assertThat(brokerNodes.size()).as("the second left").isEqualTo(1));
      int afterLeave = answered.get();
      Eventually.eventually(() -> assertThat(answered.get()).isGreaterThan(afterLeave + 500));
    } finally {
      first.cancelTimer(probe);
    }
    assertThat(failures).as("requests that found no owner or no answer (of %d answered, %d retried)", answered.get(),
        retried.get()).isEmpty();
  }

  /**
   * The order itself, seen from the other node: when the joining node's entry appears, its
   * consumers for every shard it takes are already in the bus's registrations; when its entry goes,
   * they are still there (it keeps serving while the other takes the shards back).
   */
  @Test
  void aBrokerNodeRegistersBeforeItAnnouncesAndUnregistersAfterItLeaves() throws Exception {
    Vertx first = brokerAlone();
    Vertx second = nodes.get(1);
    ClusterManager bus = ((VertxInternal) first).clusterManager();
    String secondNode = ((VertxInternal) second).clusterManager().getNodeId();
    UUID secondMember = BrokerClusterTest.uuid(second);
    BitSet secondShards = ShardOwners.owned(secondMember, List.of(BrokerClusterTest.uuid(first), secondMember));
    // Which of the second's shards name the second in the registrations, read when its entry is added and removed.
    Map<String, CompletableFuture<Integer>> seen = new ConcurrentHashMap<>(Map.of(
        "added", new CompletableFuture<>(), "removed", new CompletableFuture<>()));
    BrokerClusterTest.hz(first).<UUID, String>getReplicatedMap(BrokerNodes.MAP).addEntryListener(new EntryAdapter<>() {
      @Override
      public void onEntryEvent(EntryEvent<UUID, String> e) {
        String kind = e.getEventType() == EntryEventType.ADDED ? "added" : e.getEventType() == EntryEventType.REMOVED ? "removed" : null;
        if (kind != null && e.getKey().equals(secondMember)) {
          List<Future<Boolean>> named = new ArrayList<>();
          secondShards.stream().forEach(shard -> {
            Promise<List<RegistrationInfo>> regs = Promise.promise();
            bus.getRegistrations(Addresses.brokerPublish(shard), regs);
            named.add(regs.future().map(list -> list.stream().anyMatch(r -> r.nodeId().equals(secondNode))));
          });
          Future.all(named).onComplete(ar -> seen.get(kind).complete(
              (int) named.stream().filter(f -> f.succeeded() && f.result()).count()));
        }
      }
    });
    String deployment = second.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(CONF))
        .await(60, TimeUnit.SECONDS);
    assertThat(seen.get("added").get(30, TimeUnit.SECONDS)).as("of the second's %d shards, registered when it announced",
        secondShards.cardinality()).isEqualTo(secondShards.cardinality());
    second.undeploy(deployment).await(30, TimeUnit.SECONDS);
    assertThat(seen.get("removed").get(30, TimeUnit.SECONDS)).as("of the second's %d shards, still registered when it left",
        secondShards.cardinality()).isEqualTo(secondShards.cardinality());
  }

  /**
   * One request, retried like the intake retries it: at once when the node it went to had just
   * dropped the shard (an owner unregistered while the request was on its way), 20 ms later when
   * the sender's view of the bus named no owner or only itself for a moment (its own consumer just
   * unregistered). Still failing at the fourth attempt (a gap longer than a moment, as when the old
   * owner dropped a shard before the new one could be found), or no answer at all, is a failure.
   */
  static void send(Vertx from, int shard, PublishBatch batch, int attempt, String phase, AtomicInteger answered,
      AtomicInteger retried, List<String> failures) {
    from.eventBus().request(Addresses.brokerPublish(shard), batch, new DeliveryOptions().setSendTimeout(2000)).onComplete(ar -> {
      if (ar.succeeded()) {
        answered.incrementAndGet();
        return;
      }
      boolean moment = ar.cause() instanceof ReplyException re && (re.failureType() == ReplyFailure.NO_HANDLERS
          || re.failureType() == ReplyFailure.TIMEOUT && String.valueOf(re.getMessage()).startsWith("Discarded"));
      if (moment && attempt < 4) {
        retried.incrementAndGet();
        from.setTimer(ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS ? 20 : 1,
            id -> send(from, shard, batch, attempt + 1, phase, answered, retried, failures));
      } else {
        failures.add(phase + ", shard " + shard + ", attempt " + attempt + ": " + ar.cause());
      }
    });
  }
}
