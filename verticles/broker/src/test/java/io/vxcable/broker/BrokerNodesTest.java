package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vxcable.cluster.HazelcastSupport;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.HazelcastClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clustered Vert.x nodes in this JVM following the broker nodes through the replicated map: an
 * entry removed by mistake comes back, an entry of a member not (yet) in the cluster stays a while,
 * and leaving removes the entry.
 */
class BrokerNodesTest {

  static final long ANNOUNCE_MS = 200;
  static final long FORGET_AFTER_MS = 1500;
  final List<Vertx> vertxes = new ArrayList<>();
  /** The context each node's {@link BrokerNodes} lives on. */
  final List<Context> contexts = new ArrayList<>();
  final List<BrokerNodes> nodes = new ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    for (var config : HazelcastClusters.configs(2)) {
      Vertx v = HazelcastClusters.node(config);
      vertxes.add(v);
      contexts.add(v.getOrCreateContext());
      BrokerNodes n = new BrokerNodes(v, HazelcastSupport.member(v), "n" + vertxes.size(), ANNOUNCE_MS, FORGET_AFTER_MS);
      on(contexts.size() - 1, () -> n.join(() -> { })).await(30, TimeUnit.SECONDS);
      nodes.add(n);
    }
  }

  @AfterEach
  void close() throws Exception {
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEntryRemovedByMistakeIsAnnouncedAgain() throws Exception {
    BrokerNodes a = nodes.get(0);
    BrokerNodes b = nodes.get(1);
    Set<UUID> both = Set.of(a.self(), b.self());
    Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      assertThat(alive(1)).isEqualTo(both);
      return null;
    });
    List<String> events = new CopyOnWriteArrayList<>();
    map(1).addEntryListener(new EntryAdapter<UUID, String>() {
      @Override
      public void onEntryEvent(EntryEvent<UUID, String> e) {
        if (e.getKey().equals(a.self())) {
          events.add(e.getEventType().name());
        }
      }
    });
    // Another node takes A for one that left (or a replica missed its write): A's entry goes.
    map(1).remove(a.self());
    Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      assertThat(events).as("A's entry removed, then written again").containsSubsequence("REMOVED", "ADDED");
      assertThat(alive(1)).isEqualTo(both);
      return null;
    });
  }

  @Test
  void anEntryOfAMemberOutOfTheClusterIsRemovedOnlyAfterAWhile() throws Exception {
    UUID stranger = UUID.randomUUID();
    map(0).put(stranger, "joining or gone");
    long seen = System.currentTimeMillis();
    Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
      assertThat(alive(0)).doesNotContain(stranger);
      assertThat(map(0).containsKey(stranger)).isTrue();
      return null;
    });
    // Checked again and again within the grace period: still there.
    while (System.currentTimeMillis() - seen < FORGET_AFTER_MS / 2) {
      assertThat(alive(0)).doesNotContain(stranger);
      assertThat(map(0).containsKey(stranger)).as("removed before its grace period").isTrue();
    }
    Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      alive(0);
      assertThat(map(1).containsKey(stranger)).as("removed after its grace period").isFalse();
      return null;
    });
  }

  @Test
  void leavingRemovesTheEntryForGood() throws Exception {
    BrokerNodes a = nodes.get(0);
    on(0, a::leave).await(30, TimeUnit.SECONDS);
    Eventually.eventually(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      assertThat(map(1).containsKey(a.self())).isFalse();
      return null;
    });
    // No announcement brings it back.
    long until = System.currentTimeMillis() + 3 * ANNOUNCE_MS;
    while (System.currentTimeMillis() < until) {
      assertThat(map(1).containsKey(a.self())).isFalse();
    }
  }

  private com.hazelcast.replicatedmap.ReplicatedMap<UUID, String> map(int i) {
    HazelcastInstance hz = HazelcastSupport.member(vertxes.get(i));
    return hz.getReplicatedMap(BrokerNodes.MAP);
  }

  /** What node {@code i} sees now, asked on its context. */
  private Set<UUID> alive(int i) throws Exception {
    return on(i, () -> Future.succeededFuture(nodes.get(i).alive(System.currentTimeMillis()))).await(30, TimeUnit.SECONDS);
  }

  /** Runs {@code task} on node {@code i}'s context (where its {@link BrokerNodes} lives). */
  private <T> Future<T> on(int i, Supplier<Future<T>> task) {
    Promise<T> p = Promise.promise();
    contexts.get(i).runOnContext(v -> task.get().onComplete(p));
    return p.future();
  }
}
