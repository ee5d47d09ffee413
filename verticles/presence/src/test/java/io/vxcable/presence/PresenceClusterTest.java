package io.vxcable.presence;

import static io.vxcable.presence.PresenceContract.get;
import static io.vxcable.presence.PresenceContract.info;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vxcable.contracts.bus.PresenceRecord;
import io.vxcable.testkit.HazelcastClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Hazelcast members in this JVM, each with its own presence on one namespace and one clock:
 * what one node does the other sees, each event happens once cluster-wide, and presence survives
 * the abrupt loss of the member that owns the stream.
 */
class PresenceClusterTest {

  static final String STREAM = "chat/42";
  volatile long now = 1_700_000_000_000L;
  final List<HazelcastInstance> members = new ArrayList<>();
  final List<Presence> nodes = new ArrayList<>();
  Vertx vertx;

  @BeforeEach
  void cluster() throws Exception {
    vertx = Vertx.vertx();
    String namespace = "test." + UUID.randomUUID();
    for (var config : HazelcastClusters.configs(2)) {
      members.add(Hazelcast.newHazelcastInstance(config));
    }
    for (HazelcastInstance hz : members) {
      nodes.add(get(HazelcastPresence.start(vertx, hz, namespace, 15, () -> now)));
    }
  }

  @AfterEach
  void leave() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    members.forEach(HazelcastInstance::shutdown);
  }

  @Test
  void nodesShareOnePresenceAndEachEventHappensOnceClusterWide() throws Exception {
    Presence a = nodes.get(0);
    Presence b = nodes.get(1);
    assertThat(get(a.join(STREAM, "s1", "alice", info("{\"n\":1}")))).isNotNull();
    List<PresenceRecord> seenOnB = get(b.info(STREAM));
    assertThat(seenOnB).extracting(PresenceRecord::getId).containsExactly("alice");
    assertThat(get(b.join(STREAM, "s2", "alice", info("{\"n\":2}")))).isNull();
    assertThat(get(a.info(STREAM))).extracting(r -> r.getInfo().toStringUtf8()).containsExactly("{\"n\":2}");

    now += 10_000;
    get(b.touch(List.of("s1"))); // a session joined through node A, touched through node B
    now += 6_000; // s2 is past its deadline, s1 is not: alice stays
    List<PresenceEvent> leaves = new ArrayList<>(get(a.expire()));
    leaves.addAll(get(b.expire()));
    assertThat(leaves).isEmpty();
    now += 10_000; // s1 too
    leaves.addAll(get(a.expire()));
    leaves.addAll(get(b.expire()));
    leaves.addAll(get(a.expire()));
    leaves.addAll(get(b.expire()));
    assertThat(leaves).containsExactly(new PresenceEvent(STREAM, "leave", "alice", ""));
    assertThat(get(b.info(STREAM))).isEmpty();
  }

  @Test
  void concurrentJoinsFromBothNodesMakeOneJoinEventAndConcurrentLeavesOneLeaveEvent() throws Exception {
    List<Future<PresenceEvent>> joins = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      joins.add(nodes.get(i % 2).join(STREAM, "s" + i, "alice", info("{}")));
    }
    get(Future.all(joins));
    assertThat(joins.stream().filter(f -> f.result() != null).count()).isEqualTo(1);
    List<Future<PresenceEvent>> leaves = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      leaves.add(nodes.get((i + 1) % 2).leave(STREAM, "s" + i));
    }
    get(Future.all(leaves));
    assertThat(leaves.stream().filter(f -> f.result() != null).count()).isEqualTo(1);
  }

  @Test
  void presenceSurvivesTheLossOfTheMemberThatOwnsTheStream() throws Exception {
    get(nodes.get(0).join(STREAM, "s1", "alice", info("{}")));
    get(nodes.get(1).join(STREAM, "s2", "bob", info("")));
    int owner = members.get(0).getPartitionService().getPartition(STREAM).getOwner().localMember() ? 0 : 1;
    members.get(owner).getLifecycleService().terminate();
    Presence survivor = nodes.get(1 - owner);
    assertThat(get(survivor.info(STREAM))).extracting(PresenceRecord::getId).containsExactly("alice", "bob");
    now += 16_000;
    assertThat(get(survivor.expire())).hasSize(2);
  }
}
