package io.vxcable.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vxcable.testkit.HazelcastClusters;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on the Hazelcast backend: one real member, a fresh namespace per broker. */
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
}
