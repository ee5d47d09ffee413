package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vxcable.contracts.bus.StreamBroadcast;
import io.vxcable.testkit.Eventually;
import io.vxcable.testkit.HazelcastClusters;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the Hazelcast backend: one real member, a fresh namespace per broker; and a
 * retried batch kept once across the loss of a member (two more members).
 */
class HazelcastBrokerTest extends BrokerContract {

  static HazelcastInstance hz;
  static Vertx vertx;

  @BeforeAll
  static void member() {
    hz = Hazelcast.newHazelcastInstance(HazelcastClusters.configs(1).get(0));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void shutdown() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    hz.shutdown();
  }

  String namespace = "test." + UUID.randomUUID();

  @Override
  boolean remembersTags() {
    return true;
  }

  @Override
  Broker newBroker(int historyLimit, int historyTtlSeconds, int sessionsTtlSeconds) throws Exception {
    namespace = "test." + UUID.randomUUID();
    return get(HazelcastBroker.start(vertx, hz, namespace, historyLimit, historyTtlSeconds, sessionsTtlSeconds, () -> now));
  }

  @Test
  void brokersOfOneClusterShareTheEpochTheOffsetsAndTheSessions() throws Exception {
    Broker first = newBroker(10, 60, 300);
    Broker second = get(HazelcastBroker.start(vertx, hz, namespace, 10, 60, 300, () -> now));
    assertThat(second.epoch()).isEqualTo(first.epoch());
    append(first, msg("a", "1"));
    assertThat(append(second, msg("a", "2")).getOffset()).isEqualTo(2);
    assertThat(data(get(first.historyFrom("a", first.epoch(), 0)))).containsExactly("1", "2");
    get(second.commitSession("s", new byte[] {7}));
    assertThat(get(first.restoreSession("s"))).containsExactly(7);
  }

  @Test
  void aTaggedBatchRetriedAfterItsMemberDiedKeepsItsOffsetsOnTheBackup() throws Exception {
    var configs = HazelcastClusters.configs(2);
    HazelcastInstance dying = Hazelcast.newHazelcastInstance(configs.get(0));
    HazelcastInstance survivor = Hazelcast.newHazelcastInstance(configs.get(1));
    try {
      String ns = "test." + UUID.randomUUID();
      Broker first = get(HazelcastBroker.start(vertx, dying, ns, 10, 60, 300, () -> now));
      Broker second = get(HazelcastBroker.start(vertx, survivor, ns, 10, 60, 300, () -> now));
      // Enough streams that some live in partitions the dying member owns.
      List<StreamBroadcast> batch = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        batch.add(msg("s" + i, "x"));
        tags.add("b:" + i);
      }
      assertThat(offsets(get(first.append(batch, tags)))).containsOnly(1L);
      Eventually.eventually(() -> assertThat(dying.getPartitionService().isClusterSafe()).isTrue());
      dying.getLifecycleService().terminate();
      assertThat(offsets(get(second.append(batch, tags)))).as("the retry gets the first offsets").containsOnly(1L);
      for (int i = 0; i < 40; i++) {
        assertThat(data(get(second.historyFrom("s" + i, second.epoch(), 0)))).as("stream s" + i).containsExactly("x");
      }
      assertThat(offsets(get(second.append(List.of(msg("s0", "y")), List.of("c:0"))))).containsExactly(2L);
    } finally {
      survivor.shutdown();
      dying.getLifecycleService().terminate();
    }
  }
}
